package io.regionrouter.core;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each routing decision is one observation whose keys say where it went and why. */
@SuppressWarnings("try")
class RoutingObservationTest {

    private static final Region US = Region.of("us");
    private static final Region EU = Region.of("eu");

    private final Topology topology = Topology.builder().regions("us", "eu", "ap").local("eu").primary("us")
            .proximity("us", "eu", "ap").proximity("eu", "us", "ap").proximity("ap", "us", "eu")
            .residency("eu", "eu").residency("us", "eu", "ap").build();
    private final ManualScheduler scheduler = new ManualScheduler();
    private final RegionHealth health = RegionHealth.builder().scheduler(scheduler).ticker(scheduler::nanoTime)
            .probeExecutor(Runnable::run).config(HealthConfig.builder().failureThreshold(1).successThreshold(1).minimumCalls(1).build())
            .build();
    private final TestObservationRegistry observations = TestObservationRegistry.create();
    private final CachingRegionDirectory directory = CachingRegionDirectory.builder(
            StaticRegionDirectory.builder().user("alice", "eu").user("bob", "us").build()).build();

    RoutingObservationTest() {
        for (Region r : topology.regions()) {
            health.register(r, Store.POSTGRES, timeout -> { });
        }
    }

    @AfterEach
    void close() {
        health.close();
    }

    private RegionRouter router(boolean observeUserIds) {
        return RegionRouter.builder(topology).directory(directory).health(health).observationRegistry(observations)
                .observeUserIds(observeUserIds).build();
    }

    @Test
    void aDecision_isOneObservation_withItsRegionOutcomeAndDirectoryUse() {
        RegionRouter router = router(false);

        router.route(Store.POSTGRES, "alice", DataClass.REGULATED, Access.WRITE);
        router.route(Store.POSTGRES, "alice", DataClass.REGULATED, Access.READ);

        assertThat(observations).hasNumberOfObservationsWithNameEqualTo("region.router.route", 2)
                .hasAnObservation(o -> o.hasContextualNameEqualTo("route postgres")
                        .hasLowCardinalityKeyValue("region.router.region", "eu")
                        .hasLowCardinalityKeyValue("region.router.outcome", "first-choice")
                        .hasLowCardinalityKeyValue("region.router.data.class", "regulated")
                        .hasLowCardinalityKeyValue("region.router.access", "write")
                        .hasLowCardinalityKeyValue("region.router.directory", "lookup")
                        .hasHighCardinalityKeyValue("region.router.skipped", "none")
                        .doesNotHaveHighCardinalityKeyValueWithKey("region.router.user"))
                .hasAnObservation(o -> o.hasLowCardinalityKeyValue("region.router.access", "read")
                        .hasLowCardinalityKeyValue("region.router.directory", "cache-hit"));
    }

    @Test
    void aFallback_namesTheRegionsSkippedAsDown() {
        health.recordFailure(US, Store.POSTGRES, new IOException("us unreachable"));

        router(false).route(Store.POSTGRES, "bob", DataClass.REGULATED, Access.READ);

        assertThat(observations).hasSingleObservationThat()
                .hasLowCardinalityKeyValue("region.router.region", "eu")
                .hasLowCardinalityKeyValue("region.router.outcome", "fallback")
                .hasHighCardinalityKeyValue("region.router.skipped", "us");
    }

    @Test
    void failures_areObservedWithTheirOutcome_andTheError() {
        health.recordFailure(EU, Store.POSTGRES, new IOException("eu unreachable"));
        RegionRouter router = router(false);

        assertThatThrownBy(() -> router.route(Store.POSTGRES, "alice", DataClass.REGULATED, Access.WRITE))
                .isInstanceOf(RegionUnavailableException.class);
        assertThatThrownBy(() -> router.route(Store.POSTGRES, "zed", DataClass.REGULATED, Access.READ))
                .isInstanceOf(UnknownUserException.class);
        assertThatThrownBy(() -> router.route(Store.POSTGRES, RegionContext.of("alice", US)))
                .isInstanceOf(ResidencyViolationException.class);

        assertThat(observations).hasNumberOfObservationsWithNameEqualTo("region.router.route", 3)
                .hasAnObservation(o -> o.hasLowCardinalityKeyValue("region.router.outcome", "unavailable")
                        .hasLowCardinalityKeyValue("region.router.region", "none")
                        .hasHighCardinalityKeyValue("region.router.skipped", "eu").hasError())
                .hasAnObservation(o -> o.hasLowCardinalityKeyValue("region.router.outcome", "unknown-user").hasError())
                .hasAnObservation(o -> o.hasLowCardinalityKeyValue("region.router.outcome", "denied").hasError());
    }

    @Test
    void anExplicitRegion_isObservedAsExplicit() {
        router(false).route(Store.POSTGRES, RegionContext.forRegion(US).global(Access.READ));

        assertThat(observations).hasSingleObservationThat().hasLowCardinalityKeyValue("region.router.outcome", "explicit")
                .hasLowCardinalityKeyValue("region.router.region", "us")
                .hasLowCardinalityKeyValue("region.router.directory", "not-asked");
    }

    @Test
    void theUserId_isAddedOnlyWhenAskedFor() {
        router(true).route(Store.POSTGRES, "alice", DataClass.REGULATED, Access.READ);

        assertThat(observations).hasSingleObservationThat().hasHighCardinalityKeyValue("region.router.user", "alice");
    }

    @Test
    void withoutARegistry_nothingIsObserved_andRoutingIsTheSame() {
        RegionRouter plain = RegionRouter.builder(topology).directory(directory).health(health)
                .observationRegistry(ObservationRegistry.NOOP).build();

        org.assertj.core.api.Assertions.assertThat(plain.route(Store.POSTGRES, "alice", DataClass.REGULATED, Access.READ)).isEqualTo(EU);
        assertThat(observations).doesNotHaveAnyObservation();
    }
}
