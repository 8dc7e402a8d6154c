package io.regionrouter.redis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

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
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * Calls into regions that stopped answering before health noticed: each one ends within the
 * operation timeout and says what the caller can know.
 */
class OperationBoundIT extends ThreeRegionsBase {

    /** Probes so slow that no region goes DOWN during a test: every call really meets the silence. */
    private static RegionRouter undetectingRouter() {
        return fixture.router("us", HealthConfig.builder().interval(Duration.ofSeconds(30))
                .timeout(Duration.ofMillis(400)).build());
    }

    @Test
    void writeIntoAPartitionedLocalRegion_failsAsOutcomeUnknownWithinTheBound_hintAppendIncluded() {
        RegionRouter router = undetectingRouter();
        RegionalRedis<String> redis = fixture.redis(router, fixture.config().build(), System::currentTimeMillis);
        redis.set("product:warm", "v", AckPolicy.ALL);
        Duration bound = redis.config().operationTimeout();
        SERVERS.region("us").redis().partition();

        long start = System.nanoTime();
        // the write reaches us's proxy and is never answered; its hint would go to us's Redis too
        assertTimeoutPreemptively(bound.multipliedBy(10), () -> assertThatThrownBy(
                () -> redis.set("product:w", "v", AckPolicy.LOCAL))
                .isInstanceOf(OutcomeUnknownException.class)
                .isInstanceOfSatisfying(WriteOutcomeUnknownException.class, e -> {
                    assertThat(e.unknownRegions()).containsExactly(Region.of("us"));
                    assertThat(e.hintedRegions()).doesNotContain(Region.of("us"));
                    assertThat(e.region()).contains(Region.of("us"));
                    assertThat(e.getMessage()).contains("may have been applied");
                }));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).as("set() against the bound of %s", bound).isLessThan(bound.plusMillis(500));
        assertThat(router.health().isUp(Region.of("us"), Store.REDIS)).as("not yet detected").isTrue();
        // it was sent to eu and ap as well, which applied it
        assertThat(fixture.direct("eu").hget("product:w", "d")).isEqualTo("v");
    }

    @Test
    void readWhenEveryRegionIsSilent_failsWithinTheBound() {
        RegionRouter router = undetectingRouter();
        RegionalRedis<String> redis = fixture.redis(router, fixture.config().build(), System::currentTimeMillis);
        redis.set("product:r", "v", AckPolicy.ALL);
        Duration bound = redis.config().operationTimeout();
        for (String region : ALL) {
            SERVERS.region(region).redis().partition();
        }

        long start = System.nanoTime();
        assertTimeoutPreemptively(bound.multipliedBy(10), () -> assertThatThrownBy(() -> redis.get("product:r"))
                .isInstanceOfSatisfying(RegionUnavailableException.class,
                        e -> assertThat(e.tried()).startsWith(Region.of("us")))
                .hasMessageContaining("operation timeout"));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).as("get() against the bound of %s", bound).isLessThan(bound.plusMillis(500));
        // the asynchronous API is bounded by the same deadline, not only the synchronous wait
        assertThat(redis.getAsync("product:r").toCompletableFuture())
                .failsWithin(bound.plusMillis(500))
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(RegionUnavailableException.class)
                .withMessageContaining("operation timeout");
    }
}
