package io.regionrouter.redis.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.regionrouter.core.HealthConfig;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.RegionState;
import io.regionrouter.core.RegionStateChangedEvent;
import io.regionrouter.core.Store;
import io.regionrouter.redis.AckPolicy;
import io.regionrouter.redis.RegionalRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local Redis refuses connections for a while, then heals. Health must say UP only once the data
 * connection serves, and say it once.
 */
class ReconnectIT extends ThreeRegionsBase {

    private static final Logger LOG = LoggerFactory.getLogger(ReconnectIT.class);

    private static final Region US = Region.of("us");

    /** A state change of us's Redis, and whether the heal had been started when it was heard. */
    record Change(RegionState to, boolean afterHeal) {
    }

    private final AtomicBoolean healing = new AtomicBoolean();

    /** Default health, default reconnect delay, a writer that keeps trying through the outage. */
    @Test
    void twentySecondsRefused_thenHealed_writesResumeAtUp_withOneDownUpTransition() {
        RegionRouter router = fixture.router("us", HealthConfig.defaults());
        List<Change> changes = watch(router.health());
        RegionalRedis<String> redis = fixture.redis(router, fixture.config().build(), System::currentTimeMillis);
        redis.set("product:before", "v", AckPolicy.LOCAL);

        SERVERS.region("us").redis().refuse();
        long outageEnd = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int failedDuringOutage = 0;
        while (System.nanoTime() < outageEnd) {
            if (!tryWrite(redis, "product:during")) {
                failedDuringOutage++;
            }
            ThreeRegions.pause(Duration.ofMillis(100));
        }
        assertThat(router.health().state(US, Store.REDIS)).isEqualTo(RegionState.DOWN);
        assertThat(failedDuringOutage).isPositive();

        healing.set(true);
        SERVERS.region("us").redis().heal();
        // with the reconnect delay capped at 500 ms, 5 s is a liveness cap, not a measurement
        awaitUpAndWriteAtOnce(router, redis, Duration.ofSeconds(5));
        keepWriting(redis, Duration.ofSeconds(3));
        assertOneDownThenOneUp(changes);
    }

    /**
     * A reconnect delay that leaves the data connection down for two seconds or more after the heal,
     * while the probe's own connection is back at once: UP must wait for the data connection.
     * Lettuce's attempts back off 1, 2, 4... ms (each at least one 100 ms tick of its timer), so the
     * attempts around the heal, six seconds after the refusal began, fall about 4-5 s and 8-9 s in.
     */
    @Test
    void slowDataReconnect_healthWaitsForTheDataConnection_soTheFirstWriteAfterUpSucceeds() {
        RegionRouter router = fixture.router("us", HealthConfig.defaults());
        List<Change> changes = watch(router.health());
        RegionalRedis<String> redis = fixture.redis(router,
                fixture.config().maxReconnectDelay(Duration.ofSeconds(10)).build(), System::currentTimeMillis);
        redis.set("product:before", "v", AckPolicy.LOCAL);

        long refusedAt = System.nanoTime();
        SERVERS.region("us").redis().refuse();
        ThreeRegions.awaitState(router, "us", false);
        // timed from the refusal: the data connection's attempts then fall about 4 s and 8 s in
        ThreeRegions.pause(Duration.ofSeconds(6).minusNanos(System.nanoTime() - refusedAt));
        healing.set(true);
        SERVERS.region("us").redis().heal();
        // the probe's connection is back at once and the data connection seconds later: had UP come
        // with the probe, the write right after it would be rejected as "not connected"
        awaitUpAndWriteAtOnce(router, redis, Duration.ofSeconds(10));
        keepWriting(redis, Duration.ofSeconds(2));
        assertOneDownThenOneUp(changes);
    }

    private List<Change> watch(RegionHealth health) {
        List<Change> changes = new CopyOnWriteArrayList<>();
        health.addListener(e -> {
            if (e instanceof RegionStateChangedEvent c && c.region().equals(US) && c.store().equals(Store.REDIS)) {
                changes.add(new Change(c.to(), healing.get()));
            }
        });
        return changes;
    }

    /**
     * Waits for UP (bounded by {@code limit}, a liveness cap), writes at once, and requires that first
     * write to succeed. The data connection rejects commands while it is down, so the write succeeds
     * only if the connection serves at UP; the times are logged as figures, not asserted.
     */
    private static void awaitUpAndWriteAtOnce(RegionRouter router, RegionalRedis<String> redis, Duration limit) {
        long start = System.nanoTime();
        ThreeRegions.awaitTrue(() -> router.health().isUp(US, Store.REDIS), limit, "us's Redis UP after the heal");
        long upSeen = System.nanoTime();
        redis.set("product:first-after-up", "v", AckPolicy.LOCAL);
        long written = System.nanoTime();
        assertThat(fixture.direct("us").hget("product:first-after-up", "d")).isEqualTo("v");
        LOG.info("heal to UP {} ms; first write after UP took {} ms", Duration.ofNanos(upSeen - start).toMillis(),
                Duration.ofNanos(written - upSeen).toMillis());
    }

    private static void keepWriting(RegionalRedis<String> redis, Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        List<String> failures = new ArrayList<>();
        for (int i = 0; System.nanoTime() < end; i++) {
            try {
                redis.set("product:after-" + i, "v", AckPolicy.LOCAL);
            } catch (RuntimeException e) {
                failures.add(e.toString());
            }
            ThreeRegions.pause(Duration.ofMillis(10));
        }
        assertThat(failures).as("writes after UP").isEmpty();
    }

    private static void assertOneDownThenOneUp(List<Change> changes) {
        assertThat(changes).containsExactly(new Change(RegionState.DOWN, false), new Change(RegionState.UP, true));
    }

    private static boolean tryWrite(RegionalRedis<String> redis, String key) {
        try {
            redis.set(key, "v", AckPolicy.LOCAL);
            return true;
        } catch (RuntimeException expected) {
            return false;
        }
    }
}
