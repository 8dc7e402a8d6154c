package io.regionrouter.redis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.lettuce.core.api.sync.RedisCommands;
import io.regionrouter.core.HealthConfig;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.RegionState;
import io.regionrouter.core.RegionStateChangedEvent;
import io.regionrouter.core.Store;
import io.regionrouter.redis.AckPolicy;
import io.regionrouter.redis.ForeignValueException;
import io.regionrouter.redis.RegionalRedis;
import io.regionrouter.redis.WriteNotAcknowledgedException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A key that holds something RegionalRedis did not write, put there by another client. */
class ForeignValueIT extends ThreeRegionsBase {

    private static final String KEY = "product:x";

    /** What another client left under the key, in the local region only. */
    enum Foreign {
        HASH_WITH_A_FOREIGN_VERSION(r -> r.hset(KEY, "v", "1")),
        HASH_WITHOUT_A_VERSION(r -> r.hset(KEY, Map.of("name", "lamp", "price", "9"))),
        STRING(r -> r.set(KEY, "{\"name\":\"lamp\"}")),
        LIST(r -> r.rpush(KEY, "a", "b"));

        private final Consumer<RedisCommands<String, String>> plant;

        Foreign(Consumer<RedisCommands<String, String>> plant) {
            this.plant = plant;
        }
    }

    @ParameterizedTest
    @EnumSource(Foreign.class)
    void set_ofAKeyHoldingAForeignValue_failsWithinItsBound_andLeavesTheValueAlone(Foreign foreign) {
        RegionalRedis<String> redis = fixture.redis("us", fixture.config().build());
        foreign.plant.accept(fixture.direct("us"));
        byte[] before = fixture.direct("us").dump(KEY);
        Duration bound = redis.config().operationTimeout();

        assertTimeoutPreemptively(bound.multipliedBy(10), () -> assertThatThrownBy(
                () -> redis.set(KEY, "{\"name\":\"desk\"}", AckPolicy.LOCAL))
                .isInstanceOfSatisfying(WriteNotAcknowledgedException.class, e -> {
                    assertThat(e.failedRegions()).containsExactly(Region.of("us"));
                    assertThat(e.unhintedRegions()).containsExactly(Region.of("us"));
                    assertThat(e.getCause()).isInstanceOfSatisfying(ForeignValueException.class, f -> {
                        assertThat(f.key()).isEqualTo(KEY);
                        assertThat(f.region()).contains(Region.of("us"));
                    });
                    assertThat(e.getMessage()).contains("holds a value that RegionalRedis did not write");
                }));

        assertThat(fixture.direct("us").dump(KEY)).as("the foreign value, byte for byte").isEqualTo(before);
        assertThat(redis.pendingHints("us")).as("a write a retry cannot fix is not hinted").isZero();
        // the regions without the foreign value took the write
        assertThat(fixture.direct("eu").hget(KEY, "d")).isEqualTo("{\"name\":\"desk\"}");
    }

    @ParameterizedTest
    @EnumSource(Foreign.class)
    void reads_ofAKeyHoldingAForeignValue_failClearly_andNeverTakeTheRegionDown(Foreign foreign) {
        // a window that trips after four calls, so that counting these reads as failures would show
        RegionRouter router = fixture.router("us", HealthConfig.builder().interval(Duration.ofMillis(150))
                .timeout(Duration.ofMillis(150)).failureThreshold(2).successThreshold(1).minimumCalls(4).build());
        List<RegionStateChangedEvent> changes = new CopyOnWriteArrayList<>();
        router.health().addListener(e -> {
            if (e instanceof RegionStateChangedEvent c) {
                changes.add(c);
            }
        });
        RegionalRedis<String> redis = fixture.redis(router, fixture.config().build(), System::currentTimeMillis);
        redis.set(KEY, "fine everywhere", AckPolicy.ALL);
        fixture.direct("us").del(KEY);
        foreign.plant.accept(fixture.direct("us"));

        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> redis.get(KEY))
                    .isInstanceOfSatisfying(ForeignValueException.class,
                            e -> assertThat(e.region()).contains(Region.of("us")))
                    .hasMessageContaining("\"" + KEY + "\"");
        }

        assertThat(router.health().state(Region.of("us"), Store.REDIS)).isEqualTo(RegionState.UP);
        assertThat(changes).as("state changes while reading the foreign value").isEmpty();
    }
}
