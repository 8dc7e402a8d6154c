package io.regionrouter.redis.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.resource.ClientResources;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.lettuce.core.resource.DefaultClientResources;
import io.regionrouter.core.HealthConfig;
import io.regionrouter.core.OutcomeUnknownException;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.RegionUnavailableException;
import io.regionrouter.core.Store;
import io.regionrouter.redis.AckPolicy;
import io.regionrouter.redis.RegionalRedis;
import io.regionrouter.redis.WriteOutcomeUnknownException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Calls into regions that stopped answering before health noticed: each one ends at the operation
 * timeout and says what the caller can know.
 *
 * <p>Every timeout of the instance (Lettuce's command timeouts and the operation deadline) runs on a
 * {@link ManualTimer}, so the tests move the time themselves: a call must still be open just before
 * its bound and must have ended once the bound is reached, whatever the machine's speed.
 */
class OperationBoundIT extends ThreeRegionsBase {

    /** How long the tests wait for work the timer released to finish; a liveness cap, not a measurement. */
    private static final Duration SETTLE = Duration.ofSeconds(10);

    private ManualTimer timer;
    private ClientResources resources;

    @BeforeEach
    void manualTime() {
        timer = new ManualTimer();
        resources = DefaultClientResources.builder().timer(timer).build();
    }

    @AfterEach
    void shutDownResources() {
        fixture.closeInstances();
        resources.shutdown(0, 2, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Probes so slow that no region goes DOWN during a test: every call really meets the silence. */
    private static final HealthConfig UNDETECTING = HealthConfig.builder().interval(Duration.ofSeconds(30))
            .timeout(Duration.ofMillis(400)).build();

    private static RegionRouter undetectingRouter() {
        return fixture.router("us", UNDETECTING);
    }

    /**
     * The same router, observed: the regions whose part of a write of {@code key} was settled as
     * acknowledged are added to {@code acked}. A region's part stops after the write has counted its
     * ack, so a region found there can no longer be reported unknown.
     */
    private static RegionRouter undetectingRouterRecordingAcks(String key, Set<String> acked) {
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new ObservationHandler<Observation.Context>() {
            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }

            @Override
            public void onStop(Observation.Context context) {
                Observation parent = (Observation) context.getParentObservation();
                if (context.getName().equals("region.router.redis.write.region") && parent != null
                        && key.equals(value(parent.getContext().getHighCardinalityKeyValue("region.router.redis.key")))
                        && "acked".equals(value(context.getLowCardinalityKeyValue("region.router.outcome")))) {
                    acked.add(value(context.getLowCardinalityKeyValue("region.router.region")));
                }
            }
        });
        return fixture.router("us", UNDETECTING, observations);
    }

    private static String value(io.micrometer.common.KeyValue keyValue) {
        return keyValue == null ? null : keyValue.getValue();
    }

    @Test
    void writeIntoAPartitionedLocalRegion_failsAsOutcomeUnknownAtTheBound_hintAppendIncluded() {
        Set<String> acked = ConcurrentHashMap.newKeySet();
        RegionRouter router = undetectingRouterRecordingAcks("product:w", acked);
        RegionalRedis<String> redis = fixture.redis(router, fixture.config().build(), resources);
        redis.set("product:warm", "v", AckPolicy.ALL);
        Duration bound = redis.config().operationTimeout();
        SERVERS.region("us").redis().partition();

        // the write reaches us's proxy and is never answered; its hint would go to us's Redis too
        CompletableFuture<?> write = redis.setAsync("product:w", "v", null, AckPolicy.LOCAL).toCompletableFuture();
        timer.advance(bound.minusMillis(1));
        // us's command timed out; the hint append into the silent us is now waiting on its own timeout,
        // which falls after the bound
        ThreeRegions.awaitTrue(() -> timer.pendingAfter(bound) > 0, SETTLE, "the hint append to us sent");
        // eu and ap got it once us's part failed, and answer in real time: wait for their acks to be
        // counted, or a slow machine would reach the bound with them still open (and report them unknown)
        ThreeRegions.awaitTrue(() -> acked.containsAll(Set.of("eu", "ap")), SETTLE, "eu's and ap's acks counted");
        assertThat(write).as("open just before the bound of %s", bound).isNotDone();

        timer.advance(Duration.ofMillis(1));
        assertThat(write).failsWithin(SETTLE).withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOf(OutcomeUnknownException.class)
                .isInstanceOfSatisfying(WriteOutcomeUnknownException.class, e -> {
                    assertThat(e.unknownRegions()).containsExactly(Region.of("us"));
                    assertThat(e.hintedRegions()).doesNotContain(Region.of("us"));
                    assertThat(e.region()).contains(Region.of("us"));
                    assertThat(e.getMessage()).contains("may have been applied");
                });
        assertThat(router.health().isUp(Region.of("us"), Store.REDIS)).as("not yet detected").isTrue();
        // it was sent to eu and ap as well, which applied it
        ThreeRegions.awaitTrue(() -> "v".equals(fixture.direct("eu").hget("product:w", "d")), SETTLE,
                "the write in eu");
    }

    @Test
    void readWhenEveryRegionIsSilent_failsAtTheBound() {
        RegionRouter router = undetectingRouter();
        RegionalRedis<String> redis = fixture.redis(router, fixture.config().build(), resources);
        redis.set("product:r", "v", AckPolicy.ALL);
        Duration bound = redis.config().operationTimeout();
        for (String region : ALL) {
            SERVERS.region(region).redis().partition();
        }

        CompletableFuture<?> read = redis.getAsync("product:r").toCompletableFuture();
        timer.advance(bound.minusMillis(1));
        // us's command timed out; the read went on to the next region, whose timeout falls after the bound
        ThreeRegions.awaitTrue(() -> timer.pendingAfter(bound) > 0, SETTLE, "the read sent to the next region");
        assertThat(read).as("open just before the bound of %s", bound).isNotDone();

        timer.advance(Duration.ofMillis(1));
        assertThat(read).failsWithin(SETTLE).withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(RegionUnavailableException.class,
                        e -> assertThat(e.tried()).startsWith(Region.of("us")))
                .withMessageContaining("operation timeout");
    }
}
