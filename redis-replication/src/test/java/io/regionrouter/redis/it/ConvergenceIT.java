package io.regionrouter.redis.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.redis.AckPolicy;
import io.regionrouter.redis.RegionalRedis;
import io.regionrouter.redis.Version;
import io.regionrouter.redis.WriteNotAcknowledgedException;
import io.regionrouter.redis.internal.EnvelopeCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Two writers in different regions, a partition of eu in the middle, then heal and replay. */
class ConvergenceIT extends ThreeRegionsBase {

    private static final int KEYS = 40;

    /** One write as the writer saw it. */
    record Write(String key, String value, Version version, boolean acked) {
    }

    @Test
    void twoWriters_withEuPartitionedMidLoad_convergeToLastHlcWrite() throws Exception {
        RegionalRedis<String> us = fixture.redis("us", fixture.config().build());
        RegionalRedis<String> ap = fixture.redis("ap", fixture.config().build());
        ConcurrentLinkedQueue<Write> log = new ConcurrentLinkedQueue<>();

        runLoad(List.of(us, us, ap, ap), 40, "p1", 0, log);
        SERVERS.region("eu").redis().partition();
        // paced so that the partition lasts well past the command timeout and detection
        runLoad(List.of(us, us, ap, ap), 80, "p2", 15, log);
        SERVERS.region("eu").redis().heal();
        runLoad(List.of(us, ap), 20, "p3", 0, log);

        awaitDrained(us, ap);
        assertConverged(log);
        assertThat(us.stats().get(Region.of("eu")).hintsReplayed()
                + ap.stats().get(Region.of("eu")).hintsReplayed())
                .as("the partition made eu miss writes that were replayed").isPositive();
    }

    @Test
    void writersWithClocksSkewed500ms_converge_andADelayedOlderWriteNeverWins() throws Exception {
        long base = System.currentTimeMillis();
        long startNanos = System.nanoTime();
        RegionalRedis<String> ahead = fixture.redis(fixture.router("us"), fixture.config().build(),
                () -> base + 500 + (System.nanoTime() - startNanos) / 1_000_000);
        RegionalRedis<String> behind = fixture.redis(fixture.router("ap"), fixture.config().build(),
                () -> base + (System.nanoTime() - startNanos) / 1_000_000);
        ConcurrentLinkedQueue<Write> log = new ConcurrentLinkedQueue<>();
        runLoad(List.of(ahead, behind, ahead, behind), 50, "s", 0, log);
        awaitDrained(ahead, behind);
        assertConverged(log);

        // a third writer whose clock is 500 ms behind and has seen nothing: its write is older
        RegionRouter lateRouter = fixture.router("us");
        RegionalRedis<String> late = fixture.redis(lateRouter, fixture.config().build(),
                () -> base - 500 + (System.nanoTime() - startNanos) / 1_000_000);
        String key = "product:c0";
        Map<String, String> before = fixture.direct("us").hgetall(key);
        long replayedBefore = ahead.stats().get(Region.of("eu")).hintsReplayed();
        SERVERS.region("eu").redis().partition();
        Version older;
        try {
            older = late.set(key, "stale", AckPolicy.ALL);
        } catch (WriteNotAcknowledgedException e) {
            older = e.version();
            assertThat(e.hintedRegions()).containsExactly(Region.of("eu"));
        }
        assertThat(older.compareTo(storedVersion("us", key))).isNegative();
        SERVERS.region("eu").redis().heal();
        awaitDrained(late);
        // the hint log in us is shared: either us instance may have replayed it
        assertThat(late.stats().get(Region.of("eu")).hintsReplayed()
                + ahead.stats().get(Region.of("eu")).hintsReplayed() - replayedBefore).isEqualTo(1);
        for (String r : ALL) {
            assertThat(fixture.direct(r).hgetall(key)).as(r).isEqualTo(before);
        }
        // having seen the newer version, the same writer now orders after it
        ThreeRegions.awaitState(lateRouter, "eu", true);
        Version next = late.set(key, "fresh", AckPolicy.ALL);
        assertThat(next.compareTo(storedVersion("eu", key))).isZero();
        assertThat(late.get(key)).isEqualTo("fresh");
    }

    private static Version storedVersion(String region, String key) {
        Map<String, String> h = fixture.direct(region).hgetall(key);
        return new Version(EnvelopeCodec.parseHex(h.get("v")), h.get("w"));
    }

    private static void runLoad(List<RegionalRedis<String>> writers, int writesEach, String phase,
            long pauseMillis, ConcurrentLinkedQueue<Write> log) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(writers.size());
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < writers.size(); t++) {
                RegionalRedis<String> w = writers.get(t);
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < writesEach; i++) {
                        String key = "product:c" + ((i * 7 + thread * 13) % KEYS);
                        String value = w.writerId() + "-" + phase + "-" + thread + "-" + i;
                        try {
                            log.add(new Write(key, value, w.set(key, value, AckPolicy.LOCAL), true));
                        } catch (WriteNotAcknowledgedException e) {
                            log.add(new Write(key, value, e.version(), false));
                        }
                        if (pauseMillis > 0) {
                            Thread.sleep(pauseMillis);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @SafeVarargs
    private static void awaitDrained(RegionalRedis<String>... writers) {
        ThreeRegions.awaitTrue(() -> {
            for (RegionalRedis<String> w : writers) {
                for (String r : ALL) {
                    if (w.pendingHints(r) > 0) {
                        return false;
                    }
                }
            }
            return true;
        }, Duration.ofSeconds(20), "every hint log to drain");
    }

    private static void assertConverged(ConcurrentLinkedQueue<Write> log) {
        Map<String, Write> last = new HashMap<>();
        for (Write w : log) {
            last.merge(w.key(), w, (a, b) -> a.version().compareTo(b.version()) >= 0 ? a : b);
        }
        assertThat(last).hasSize(KEYS);
        for (Write expected : last.values()) {
            Map<String, String> us = fixture.direct("us").hgetall(expected.key());
            for (String r : ALL) {
                Map<String, String> stored = fixture.direct(r).hgetall(expected.key());
                assertThat(stored).as("key %s in %s", expected.key(), r).isEqualTo(us);
            }
            assertThat(storedVersion("us", expected.key())).as(expected.key()).isEqualTo(expected.version());
            assertThat(us.get("d")).as(expected.key()).isEqualTo(expected.value());
        }
        for (Write w : log) {
            if (w.acked()) {
                assertThat(storedVersion("eu", w.key()).compareTo(w.version()))
                        .as("acked write %s survives", w).isGreaterThanOrEqualTo(0);
            }
        }
    }
}
