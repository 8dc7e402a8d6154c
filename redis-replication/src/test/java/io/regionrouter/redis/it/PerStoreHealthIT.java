package io.regionrouter.redis.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.regionrouter.core.Access;
import io.regionrouter.core.DataClass;
import io.regionrouter.core.HealthProbe;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.RegionState;
import io.regionrouter.core.RegionStateChangedEvent;
import io.regionrouter.core.Store;
import io.regionrouter.redis.AckPolicy;
import io.regionrouter.redis.RegionalRedis;
import io.regionrouter.redis.Version;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * One RegionHealth shared by Redis and a PostgreSQL-like probe of the same regions, the way an
 * application wires it: each store keeps its own verdict.
 */
class PerStoreHealthIT extends ThreeRegionsBase {

    private static final Region US = Region.of("us");
    private static final Region EU = Region.of("eu");

    @Test
    void redisOfARegionPartitioned_postgresOfThatRegionStaysUp_andStillRoutesItsUsers() {
        RegionRouter router = fixture.router("us");
        RegionHealth health = router.health();
        List<RegionStateChangedEvent> changes = new CopyOnWriteArrayList<>();
        health.addListener(e -> {
            if (e instanceof RegionStateChangedEvent c) {
                changes.add(c);
            }
        });
        HealthProbe postgresAnswers = timeout -> { };
        health.register(EU, Store.POSTGRES, postgresAnswers);
        RegionalRedis<String> redis = fixture.redis(router, fixture.config().build(), System::currentTimeMillis);
        redis.set("product:before", "v", AckPolicy.ALL);

        SERVERS.region("eu").redis().partition();
        ThreeRegions.awaitTrue(() -> health.states(EU).containsValue(RegionState.DOWN), Duration.ofSeconds(10),
                "a store of eu to go DOWN");
        long watchUntil = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        while (System.nanoTime() < watchUntil) {
            assertThat(health.isUp(EU, Store.POSTGRES)).as("eu's PostgreSQL while eu's Redis is cut off").isTrue();
            ThreeRegions.pause(Duration.ofMillis(20));
        }

        assertThat(health.isUp(EU, Store.REDIS)).isFalse();
        assertThat(health.describe(EU)).isEqualTo("eu: postgres UP, redis DOWN");
        assertThat(changes).allMatch(c -> c.store().equals(Store.REDIS), "only Redis changed state")
                .anyMatch(c -> c.region().equals(EU) && c.to() == RegionState.DOWN);
        // alice lives in eu: her PostgreSQL calls still go there
        assertThat(router.route(Store.POSTGRES, "alice", DataClass.REGULATED, Access.WRITE)).isEqualTo(EU);
    }

    @Test
    void healthProbes_isOneSwitchOnTheBuilder_asInEveryModule() {
        RegionRouter router = fixture.router("us");
        try (RegionalRedis<String> redis = everyRegion(RegionalRedis.builder(router).healthProbes(false)).build()) {
            redis.set("product:probes", "v", AckPolicy.ALL);
            assertThat(router.health().states(EU)).as("no Redis probe registered").doesNotContainKey(Store.REDIS);
        }
        fixture.redis(router, fixture.config().build(), System::currentTimeMillis);
        assertThat(router.health().states(EU)).as("on by default").containsKey(Store.REDIS);
    }

    @Test
    void store_isNamedOnTheBuilder_asInEveryModule_andItsProbesReportUnderThatName() {
        RegionRouter router = fixture.router("us");
        Store sessions = Store.of("redis-sessions");
        try (RegionalRedis<String> redis = everyRegion(RegionalRedis.builder(router).store(sessions)).build()) {
            redis.set("product:store", "v", AckPolicy.ALL);
            assertThat(redis.config().store()).isEqualTo(sessions);
            assertThat(router.health().states(EU)).containsKey(sessions).doesNotContainKey(Store.REDIS);
        }
    }

    @Test
    void localPostgresDown_redisWritesOfLocallyHeldKeysStillSucceed() {
        RegionRouter router = fixture.router("us");
        RegionHealth health = router.health();
        HealthProbe postgresRefuses = timeout -> {
            throw new ConnectException("Connection refused");
        };
        health.register(US, Store.POSTGRES, postgresRefuses);
        RegionalRedis<String> redis = fixture.redis(router, fixture.config().build(), System::currentTimeMillis);
        ThreeRegions.awaitTrue(() -> health.state(US, Store.POSTGRES) == RegionState.DOWN, Duration.ofSeconds(10),
                "us's PostgreSQL to be DOWN");

        Version global = redis.set("product:p", "lamp", AckPolicy.LOCAL);
        Version all = redis.set("product:q", "desk", AckPolicy.ALL);
        Version bobs = redis.forUser("bob").set("profile:bob", "B", null, AckPolicy.LOCAL);

        assertThat(List.of(global, all, bobs)).doesNotContainNull();
        assertThat(fixture.direct("us").hget("product:p", "d")).isEqualTo("lamp");
        assertThat(fixture.direct("us").hget("profile:bob", "d")).isEqualTo("B");
        assertThat(redis.get("product:q")).isEqualTo("desk");
        assertThat(health.isUp(US, Store.REDIS)).isTrue();
        assertThat(health.describe(US)).isEqualTo("us: postgres DOWN, redis UP");
    }

    /** The fixture's settings and every region's server, on a builder the test has started. */
    private static RegionalRedis.Builder<String> everyRegion(RegionalRedis.Builder<String> b) {
        b.config(fixture.config().build());
        for (String name : List.of("us", "eu", "ap")) {
            b.region(name, SERVERS.region(name).redis().uri());
        }
        return b;
    }
}
