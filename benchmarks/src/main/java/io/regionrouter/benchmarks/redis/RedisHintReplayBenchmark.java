package io.regionrouter.benchmarks.redis;

import io.lettuce.core.RedisClient;
import io.regionrouter.core.HealthConfig;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.redis.AckPolicy;
import io.regionrouter.redis.RegionalRedis;
import io.regionrouter.redis.RegionalRedisConfig;
import io.regionrouter.redis.Version;
import io.regionrouter.testkit.LocalRegions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Drain rate of the hint log after a partition heals. Before each iteration, eu is partitioned
 * and detected DOWN, {@code hints} writes (~200-byte JSON, ack LOCAL) are made, so each leaves a
 * hint for eu in us's hint log; then eu is healed and a fresh instance (another process after a
 * restart, as it were) is created. The measured operation is one replay round by that instance,
 * which drains the whole log in pipelined batches of 512. Drain rate = hints / score.
 * Target: at least 20,000 hints/s on a 2-core machine.
 *
 * <pre>{@code
 * flock /tmp/benchmarks.lock java -jar benchmarks/target/benchmarks.jar RedisHintReplayBenchmark \
 *     -f 1 -wi 1 -i 3 -rf json -rff benchmarks/results/redis-hint-replay.json
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(1)
public class RedisHintReplayBenchmark {

    @Param({"20000"})
    public int hints;

    private LocalRegions regions;
    private RegionHealth replayHealth;
    private RegionalRedis<String> replayer;
    private int round;
    private int replayed;

    @Setup(Level.Trial)
    public void startServers() {
        regions = RedisBench.startRegions();
    }

    @Setup(Level.Iteration)
    public void fillHintLog() {
        RegionHealth health = RedisBench.health(HealthConfig.builder().interval(Duration.ofMillis(200))
                .timeout(Duration.ofMillis(200)).failureThreshold(2).successThreshold(1).build());
        RegionalRedisConfig quiet = RedisBench.config().replayInterval(Duration.ofHours(1))
                .instanceId("filler-" + round).build();
        try (RegionalRedis<String> filler = RedisBench.redis(regions, RedisBench.router(health), quiet)) {
            regions.region("eu").redis().partition();
            RedisBench.awaitState(health, "eu", false, Duration.ofSeconds(10));
            List<CompletableFuture<Version>> window = new ArrayList<>();
            for (int k = 0; k < hints; k++) {
                window.add(filler.setAsync("product:" + k, RedisBench.smallJson(k), null, AckPolicy.LOCAL)
                        .toCompletableFuture());
                if (window.size() == 1000) {
                    CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).join();
                    window.clear();
                }
            }
            CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).join();
            // eu is DOWN, so a LOCAL write completes once us acked and eu's hint is stored; this only checks
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            long pending;
            while ((pending = filler.pendingHints("eu")) != hints) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("expected " + hints + " hints, found " + pending);
                }
                RedisBench.sleep(20);
            }
        } finally {
            health.close();
        }
        regions.region("eu").redis().heal();
        replayHealth = RedisBench.health(HealthConfig.defaults());
        replayer = RedisBench.redis(regions, RedisBench.router(replayHealth), RedisBench.config()
                .replayInterval(Duration.ofHours(1)).registerHealthProbes(false)
                .instanceId("replayer-" + round++).build());
    }

    @Benchmark
    public int drain() {
        replayed = replayer.replayHints();
        return replayed;
    }

    @TearDown(Level.Iteration)
    public void check() {
        long left = replayer.pendingHints("eu");
        replayer.close();
        replayHealth.close();
        System.out.printf("HINT-REPLAY replayed=%d left=%d%n", replayed, left);
        if (left != 0 || replayed != hints) {
            throw new IllegalStateException("replay incomplete: replayed " + replayed + ", left " + left);
        }
        for (String name : regions.names()) {
            RedisClient c = RedisClient.create("redis://127.0.0.1:" + regions.region(name).redis().directPort());
            try (var conn = c.connect()) {
                conn.sync().flushall();
            } finally {
                c.shutdown();
            }
        }
    }

    @TearDown(Level.Trial)
    public void stopServers() {
        regions.close();
    }
}
