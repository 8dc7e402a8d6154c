package io.regionrouter.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Routing rules. Topology: us, eu, ap; local eu; primary us.
 * Proximity: us -> eu, ap; eu -> us, ap; ap -> us, eu.
 * Residency: eu data stays in eu (default); us data may also live in ap and eu, and is multi-writer
 * there; ap data may also live in eu and us, as read-only copies.
 */
@SuppressWarnings("try") // scopes are opened for their side effect on the thread
class RegionRouterTest {

    private static final Region US = Region.of("us");
    private static final Region EU = Region.of("eu");
    private static final Region AP = Region.of("ap");

    private final Topology topology = Topology.builder()
            .regions("us", "eu", "ap")
            .local("eu")
            .primary("us")
            .proximity("us", "eu", "ap")
            .proximity("eu", "us", "ap")
            .proximity("ap", "us", "eu")
            .residency("us", "ap", "eu")
            .residency("ap", "eu", "us")
            .multiWriter("us", "ap", "eu")
            .build();
    private final CountingDirectory directory = new CountingDirectory()
            .put("alice", "eu").put("bob", "us").put("dave", "ap").put("mallory", "sa");
    private final ManualScheduler scheduler = new ManualScheduler();
    private final RegionHealth health = RegionHealth.builder().scheduler(scheduler).ticker(scheduler::nanoTime)
            .probeExecutor(Runnable::run).config(HealthConfig.builder().failureThreshold(1).successThreshold(1).minimumCalls(1).build())
            .build();
    private final RecordingListener listener = new RecordingListener();
    private final RegionRouter router = RegionRouter.builder(topology).directory(directory).health(health)
            .listener(listener).build();

    RegionRouterTest() {
        for (Region r : topology.regions()) {
            health.register(r, Store.POSTGRES, timeout -> { });
        }
    }

    @AfterEach
    void closeHealth() {
        health.close();
    }

    private void down(Region... regions) {
        for (Region r : regions) {
            health.recordFailure(r, Store.POSTGRES, new IOException(r + " unreachable"));
            assertThat(health.isUp(r, Store.POSTGRES)).isFalse();
        }
    }

    @Test
    void homeRegion_comesFromTheDirectory() {
        assertThat(router.homeRegion("alice")).isEqualTo(EU);
        assertThat(router.homeRegion("bob")).isEqualTo(US);
    }

    @Test
    void homeRegion_ofUnknownUser_throwsUnknownUser() {
        assertThatThrownBy(() -> router.homeRegion("zed")).isInstanceOf(UnknownUserException.class)
                .hasMessageContaining("zed")
                .satisfies(e -> assertThat(((UnknownUserException) e).userId()).contains("zed"));
    }

    @Test
    void directoryFailure_propagatesWithUserAndCause_andIsNeverMappedToARegion() {
        IllegalStateException boom = new IllegalStateException("directory down");
        directory.failWith(boom);
        assertThatThrownBy(() -> router.route(Store.POSTGRES, "alice", DataClass.REGULATED, Access.WRITE))
                .isInstanceOf(DirectoryLookupException.class)
                .hasCause(boom)
                .hasMessageContaining("alice")
                .satisfies(e -> assertThat(((DirectoryLookupException) e).userId()).contains("alice"));
        assertThat(listener.events()).isEmpty();
    }

    @Test
    void directoryLookupException_fromADelegate_isNotWrappedTwice() {
        DirectoryLookupException original = new DirectoryLookupException("alice", new IOException("x"));
        RegionRouter r = RegionRouter.builder(topology).health(health).directory(user -> {
            throw original;
        }).build();
        assertThatThrownBy(() -> r.homeRegion("alice")).isSameAs(original);
    }

    @Test
    void homeRegionOutsideTheTopology_failsClosed() {
        assertThatThrownBy(() -> router.route(Store.POSTGRES, "mallory", DataClass.REGULATED, Access.READ))
                .isInstanceOf(RegionUnavailableException.class)
                .hasMessageContaining("sa").hasMessageContaining("mallory");
    }

    @Test
    void regulated_routesToTheHomeRegion_forReadsAndWrites() {
        assertThat(router.route(Store.POSTGRES, "alice", DataClass.REGULATED, Access.WRITE)).isEqualTo(EU);
        assertThat(router.route(Store.POSTGRES, "dave", DataClass.REGULATED, Access.READ)).isEqualTo(AP);
        assertThat(listener.events()).containsExactly(
                new RoutedEvent("alice", DataClass.REGULATED, Access.WRITE, EU, false),
                new RoutedEvent("dave", DataClass.REGULATED, Access.READ, AP, false));
    }

    @Test
    void regulated_homeDown_fallsBackToTheNearestAllowedHealthyRegion() {
        down(US);
        assertThat(router.route(Store.POSTGRES, "bob", DataClass.REGULATED, Access.WRITE)).isEqualTo(EU);
        assertThat(listener.events()).containsExactly(
                new FallbackEvent("bob", DataClass.REGULATED, Access.WRITE, US, EU),
                new RoutedEvent("bob", DataClass.REGULATED, Access.WRITE, EU, true));
    }

    @Test
    void regulated_fallbackFollowsHomeProximity_notTheOrderOfTheResidencyRule() {
        // ap's rule lists eu before us, but us is nearer to ap
        down(AP);
        assertThat(router.route(Store.POSTGRES, "dave", DataClass.REGULATED, Access.READ)).isEqualTo(US);
        down(US);
        assertThat(router.route(Store.POSTGRES, "dave", DataClass.REGULATED, Access.READ)).isEqualTo(EU);
    }

    @Test
    void regulated_failsClosed_whenOnlyDisallowedRegionsAreUp() {
        down(EU);
        assertThat(health.isUp(US, Store.POSTGRES)).isTrue();
        assertThatThrownBy(() -> router.route(Store.POSTGRES, "alice", DataClass.REGULATED, Access.READ))
                .isInstanceOf(RegionUnavailableException.class)
                .hasMessageContaining("alice").hasMessageContaining("[eu]")
                .satisfies(e -> {
                    RegionUnavailableException rue = (RegionUnavailableException) e;
                    assertThat(rue.tried()).containsExactly(EU);
                    assertThat(rue.region()).contains(EU);
                    assertThat(rue.userId()).contains("alice");
                });
        assertThat(listener.events(RoutedEvent.class)).isEmpty();
    }

    @Test
    void regulated_allAllowedRegionsDown_throwsNamingEveryRegionTried() {
        down(US, EU, AP);
        assertThatThrownBy(() -> router.route(Store.POSTGRES, "bob", DataClass.REGULATED, Access.WRITE))
                .isInstanceOf(RegionUnavailableException.class)
                .hasMessageContaining("[us, eu, ap]")
                .satisfies(e -> assertThat(((RegionUnavailableException) e).tried()).containsExactly(US, EU, AP));
    }

    @Test
    void regulated_homeBackUp_isPreferredAgain() {
        down(US);
        assertThat(router.route(Store.POSTGRES, "bob", DataClass.REGULATED, Access.WRITE)).isEqualTo(EU);
        scheduler.runDue(); // us's probe passes, which is what brings a store back UP
        assertThat(router.route(Store.POSTGRES, "bob", DataClass.REGULATED, Access.WRITE)).isEqualTo(US);
    }

    @Test
    void regulatedWrite_homeDown_isRefusedTowardRegionsThatOnlyHoldACopy() {
        down(AP);
        assertThat(router.route(Store.POSTGRES, "dave", DataClass.REGULATED, Access.READ)).isEqualTo(US);
        assertThatThrownBy(() -> router.route(Store.POSTGRES, "dave", DataClass.REGULATED, Access.WRITE))
                .isInstanceOf(RegionUnavailableException.class)
                .hasMessageContaining("may take writes of data homed in ap")
                .satisfies(e -> assertThat(((RegionUnavailableException) e).tried()).containsExactly(AP));
    }

    @Test
    void explicitRegionWrite_intoAReadOnlyCopy_isDenied_whileAReadIsAllowed() {
        assertThatThrownBy(() -> router.route(Store.POSTGRES, RegionContext.of("dave", US)))
                .isInstanceOf(ResidencyViolationException.class)
                .hasMessageContaining("may not take writes of data homed in ap");
        assertThat(router.route(Store.POSTGRES, RegionContext.of("dave", US).withAccess(Access.READ))).isEqualTo(US);
    }

    @Test
    void healthIsPerStore_anotherStoreDown_neverMovesThisStore() {
        Store redis = Store.of("redis");
        health.register(US, redis, timeout -> { });
        health.recordFailure(US, redis, new IOException("redis unreachable"));
        assertThat(health.isUp(US, redis)).isFalse();
        assertThat(router.route(Store.POSTGRES, "bob", DataClass.REGULATED, Access.WRITE)).isEqualTo(US);
        assertThat(router.route(redis, "bob", DataClass.REGULATED, Access.WRITE)).isEqualTo(EU);
    }

    @Test
    void routeCurrent_decidesOncePerScope_andAgainAfterAHealthChange() {
        try (RegionContext.Scope ignored = RegionContext.forUser("bob").open()) {
            assertThat(router.routeCurrent(Store.POSTGRES)).isEqualTo(US);
            assertThat(router.routeCurrent(Store.POSTGRES)).isEqualTo(US);
            assertThat(directory.lookups("bob")).isEqualTo(1);
            down(US);
            assertThat(router.routeCurrent(Store.POSTGRES)).isEqualTo(EU);
            assertThat(directory.lookups("bob")).isEqualTo(2);
        }
    }

    @Test
    void regulated_withoutAUser_isRejected() {
        assertThatThrownBy(() -> router.route(Store.POSTGRES, null, DataClass.REGULATED, Access.READ))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("REGULATED");
    }

    @Test
    void globalWrite_goesToThePrimary() {
        assertThat(router.route(Store.POSTGRES, null, DataClass.GLOBAL, Access.WRITE)).isEqualTo(US);
        assertThat(router.route(Store.POSTGRES, "alice", DataClass.GLOBAL, Access.WRITE)).isEqualTo(US);
    }

    @Test
    void globalWrite_primaryDown_throwsEvenIfOthersAreUp() {
        down(US);
        assertThatThrownBy(() -> router.route(Store.POSTGRES, null, DataClass.GLOBAL, Access.WRITE))
                .isInstanceOf(RegionUnavailableException.class)
                .hasMessageContaining("primary").hasMessageContaining("[us]")
                .satisfies(e -> assertThat(((RegionUnavailableException) e).tried()).containsExactly(US));
    }

    @Test
    void globalRead_goesToTheLocalRegion() {
        assertThat(router.route(Store.POSTGRES, null, DataClass.GLOBAL, Access.READ)).isEqualTo(EU);
        assertThat(listener.events()).containsExactly(new RoutedEvent(null, DataClass.GLOBAL, Access.READ, EU, false));
    }

    @Test
    void globalRead_localDown_fallsBackByLocalProximity() {
        down(EU);
        assertThat(router.route(Store.POSTGRES, null, DataClass.GLOBAL, Access.READ)).isEqualTo(US);
        assertThat(listener.events(FallbackEvent.class))
                .containsExactly(new FallbackEvent(null, DataClass.GLOBAL, Access.READ, EU, US));
        down(US);
        assertThat(router.route(Store.POSTGRES, null, DataClass.GLOBAL, Access.READ)).isEqualTo(AP);
    }

    @Test
    void globalRead_allDown_throws() {
        down(US, EU, AP);
        assertThatThrownBy(() -> router.route(Store.POSTGRES, null, DataClass.GLOBAL, Access.READ))
                .isInstanceOf(RegionUnavailableException.class)
                .satisfies(e -> assertThat(((RegionUnavailableException) e).tried()).containsExactly(EU, US, AP));
    }

    @Test
    void global_doesNotConsultTheDirectory() {
        directory.failWith(new IllegalStateException("directory down"));
        assertThat(router.route(Store.POSTGRES, "alice", DataClass.GLOBAL, Access.READ)).isEqualTo(EU);
        assertThat(router.route(Store.POSTGRES, "zed", DataClass.GLOBAL, Access.WRITE)).isEqualTo(US);
        assertThat(directory.totalLookups()).isZero();
    }

    @Test
    void candidates_listWhatRouteConsiders_healthyOrNot() {
        down(EU);
        assertThat(router.candidates("bob", DataClass.REGULATED, Access.READ)).containsExactly(US, EU, AP);
        assertThat(router.candidates("alice", DataClass.REGULATED, Access.WRITE)).containsExactly(EU);
        assertThat(router.candidates(null, DataClass.GLOBAL, Access.WRITE)).containsExactly(US);
        assertThat(router.candidates(null, DataClass.GLOBAL, Access.READ)).containsExactly(EU, US, AP);
    }

    @Test
    void routeContext_withUserOnly_routesByHome() {
        assertThat(router.route(Store.POSTGRES, RegionContext.forUser("bob").withAccess(Access.READ))).isEqualTo(US);
        assertThat(router.route(Store.POSTGRES, RegionContext.forUser("bob").global(Access.READ))).isEqualTo(EU);
    }

    @Test
    void routeContext_explicitAllowedRegion_wins() {
        assertThat(router.route(Store.POSTGRES, RegionContext.of("bob", AP))).isEqualTo(AP);
        assertThat(router.route(Store.POSTGRES, RegionContext.forRegion(AP))).isEqualTo(AP);
    }

    @Test
    void routeContext_explicitDisallowedRegion_isDeniedWithEvent() {
        assertThatThrownBy(() -> router.route(Store.POSTGRES, RegionContext.of("alice", US)))
                .isInstanceOf(ResidencyViolationException.class)
                .hasMessageContaining("us").hasMessageContaining("eu").hasMessageContaining("alice")
                .satisfies(e -> {
                    ResidencyViolationException rve = (ResidencyViolationException) e;
                    assertThat(rve.home()).isEqualTo(EU);
                    assertThat(rve.target()).isEqualTo(US);
                    assertThat(rve.userId()).contains("alice");
                });
        assertThat(listener.events()).containsExactly(new ResidencyDeniedEvent("alice", EU, US));
    }

    @Test
    void routeContext_explicitRegionForGlobalData_skipsResidency() {
        assertThat(router.route(Store.POSTGRES, RegionContext.of("alice", US).global(Access.READ))).isEqualTo(US);
    }

    @Test
    void routeContext_explicitUnknownRegion_fails() {
        assertThatThrownBy(() -> router.route(Store.POSTGRES, RegionContext.forRegion(Region.of("sa"))))
                .isInstanceOf(RegionUnavailableException.class).hasMessageContaining("sa");
    }

    @Test
    void routeCurrent_usesTheBoundContext() {
        try (RegionContext.Scope ignored = RegionContext.forUser("dave").open()) {
            assertThat(router.routeCurrent(Store.POSTGRES)).isEqualTo(AP);
        }
        assertThatThrownBy(() -> router.routeCurrent(Store.POSTGRES)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no RegionContext");
    }

    @Test
    void checkResidency_allowsAllowedAndDeniesOthers() {
        router.checkResidency("bob", AP);
        assertThat(listener.events()).isEmpty();
        assertThatThrownBy(() -> router.checkResidency("alice", AP)).isInstanceOf(ResidencyViolationException.class);
        assertThat(listener.events()).containsExactly(new ResidencyDeniedEvent("alice", EU, AP));
    }

    @Test
    void throwingListener_neverBreaksRouting() {
        router.addListener(e -> {
            throw new IllegalStateException("listener bug");
        });
        down(US);
        assertThat(router.route(Store.POSTGRES, "bob", DataClass.REGULATED, Access.WRITE)).isEqualTo(EU);
        assertThat(listener.events()).hasSize(2);
    }

    @Test
    void manyThreadsWhileHealthFlaps_regulatedDataNeverLeavesItsAllowedRegions() throws Exception {
        final int threads = 16;
        final int routesPerThread = 2_000;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        AtomicInteger violations = new AtomicInteger();
        AtomicInteger routed = new AtomicInteger();
        AtomicInteger unavailable = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        try {
            Future<?> flapper = pool.submit(() -> {
                start.await();
                Random random = new Random(42);
                for (int i = 0; i < 100_000 && !stop.get(); i++) {
                    Region r = topology.regions().get(random.nextInt(3));
                    if (random.nextBoolean()) {
                        health.recordFailure(r, Store.POSTGRES, new IOException("flap"));
                    } else {
                        scheduler.advance(java.time.Duration.ofMillis(500)); // passing probes: UP again
                    }
                }
                return null;
            });
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String user = t % 2 == 0 ? "alice" : "bob";
                workers.add(pool.submit(() -> {
                    start.await();
                    Region home = router.homeRegion(user);
                    for (int i = 0; i < routesPerThread; i++) {
                        try {
                            Region r = router.route(Store.POSTGRES, user, DataClass.REGULATED, Access.WRITE);
                            routed.incrementAndGet();
                            if (!topology.isAllowed(home, r)) {
                                violations.incrementAndGet();
                            }
                        } catch (RegionUnavailableException e) {
                            unavailable.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> w : workers) {
                w.get(60, TimeUnit.SECONDS);
            }
            stop.set(true);
            flapper.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        // any exception but RegionUnavailableException already failed its worker's get()
        assertThat(violations.get()).isZero();
        assertThat(routed.get()).isPositive();
    }

    @Test
    void defaults_emptyDirectoryAndAllRegionsUp() {
        RegionRouter bare = RegionRouter.builder(topology).build();
        assertThat(bare.route(Store.POSTGRES, null, DataClass.GLOBAL, Access.READ)).isEqualTo(EU);
        assertThatThrownBy(() -> bare.homeRegion("alice")).isInstanceOf(UnknownUserException.class);
        assertThat(bare.health().registeredRegions()).isEmpty();
        assertThat(bare.topology()).isSameAs(topology);
    }

    @Test
    void worksWithACachingDirectory_andAStaticOne() {
        StaticRegionDirectory backing = StaticRegionDirectory.builder().user("erin", "ap").build();
        RegionRouter r = RegionRouter.builder(topology).health(health)
                .directory(CachingRegionDirectory.builder(backing).build()).build();
        assertThat(r.route(Store.POSTGRES, "erin", DataClass.REGULATED, Access.READ)).isEqualTo(AP);
        assertThat(r.directory()).isInstanceOf(CachingRegionDirectory.class);
        assertThat(backing.lookup("nobody")).isEqualTo(Optional.empty());
        assertThat(List.of(backing.size())).containsExactly(1);
    }
}
