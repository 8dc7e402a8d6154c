package io.regionrouter.benchmarks.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.regionrouter.core.HealthConfig;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.redis.AckPolicy;
import io.regionrouter.redis.RegionalRedis;
import io.regionrouter.testkit.LocalRegions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A fan-out write with ack {@code ALL} against the round trip of the slowest region, in the same
 * run. us is local (no delay), eu is {@code delayMs} away one way, ap half as far.
 * <ul>
 *   <li>{@code slowestRoundTrip}: a synchronous Lettuce SET to eu through its delayed proxy;</li>
 *   <li>{@code ackAll}: {@code RegionalRedis.set(key, value, AckPolicy.ALL)} to us, eu and ap.</li>
 * </ul>
 * Target: ackAll p50 at most 1.2x slowestRoundTrip p50: the writes run in parallel, never the sum.
 *
 * <pre>{@code
 * flock /tmp/benchmarks.lock java -jar benchmarks/target/benchmarks.jar RedisAckAllBenchmark \
 *     -f 1 -wi 1 -w 2s -i 2 -r 3s -rf json -rff benchmarks/results/redis-ack-all.json
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 2, time = 3)
@Fork(1)
@Threads(1)
public class RedisAckAllBenchmark {

    @Param({"0", "40", "80"})
    public int delayMs;

    @Param({"slowestRoundTrip", "ackAll"})
    public String mode;

    private LocalRegions regions;
    private RegionHealth health;
    private RegionalRedis<String> redis;
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private RedisCommands<String, String> slowest;
    private int i;

    @Setup
    public void setUp() {
        regions = RedisBench.startRegions();
        regions.region("eu").delay(Duration.ofMillis(delayMs));
        regions.region("ap").delay(Duration.ofMillis(delayMs / 2));
        health = RedisBench.health(HealthConfig.defaults());
        redis = RedisBench.redis(regions, RedisBench.router(health), RedisBench.config().build());
        client = RedisClient.create(regions.region("eu").redis().uri());
        connection = client.connect();
        slowest = connection.sync();
    }

    @Benchmark
    public Object write() {
        int k = (i++) & 1023;
        String key = "product:" + k;
        String value = RedisBench.smallJson(k);
        if (mode.equals("slowestRoundTrip")) {
            return slowest.set(key, value);
        }
        return redis.set(key, value, AckPolicy.ALL);
    }

    @TearDown
    public void tearDown() {
        connection.close();
        client.shutdown();
        redis.close();
        health.close();
        regions.close();
    }
}
