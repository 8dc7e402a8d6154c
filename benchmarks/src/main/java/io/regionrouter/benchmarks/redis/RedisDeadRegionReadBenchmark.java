package io.regionrouter.benchmarks.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.regionrouter.core.HealthConfig;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.redis.AckPolicy;
import io.regionrouter.redis.RegionalRedis;
import io.regionrouter.redis.RegionalRedisConfig;
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
 * Reads while the local region (us) is partitioned (frozen proxy, no RST), against the naive
 * pattern, in the same run. Both use the same 1 s command timeout (the library default).
 * <ul>
 *   <li>{@code naive}: GET from us; on any exception, GET from ap (what teams write by hand);</li>
 *   <li>{@code regional}: {@code RegionalRedis.get}, after RegionHealth has marked us DOWN: us is
 *       skipped without a timeout and ap answers.</li>
 * </ul>
 * ap is {@code fallbackDelayMs} away one way. Target: regional p99 at least 100x better than naive.
 *
 * <pre>{@code
 * flock /tmp/benchmarks.lock java -jar benchmarks/target/benchmarks.jar RedisDeadRegionReadBenchmark \
 *     -f 1 -wi 1 -w 2s -i 3 -r 3s -rf json -rff benchmarks/results/redis-dead-region-read.json
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@Threads(1)
public class RedisDeadRegionReadBenchmark {

    @Param({"0", "40"})
    public int fallbackDelayMs;

    @Param({"naive", "regional"})
    public String mode;

    private LocalRegions regions;
    private RegionHealth health;
    private RegionalRedis<String> redis;
    private RedisClient usClient;
    private RedisClient apClient;
    private StatefulRedisConnection<String, String> usConnection;
    private StatefulRedisConnection<String, String> apConnection;
    private RedisCommands<String, String> us;
    private RedisCommands<String, String> ap;

    @Setup
    public void setUp() {
        regions = RedisBench.startRegions();
        health = RedisBench.health(HealthConfig.defaults());
        redis = RedisBench.redis(regions, RedisBench.router(health), RedisBench.config().build());
        redis.set("product:1", RedisBench.smallJson(1), AckPolicy.ALL);
        RedisURI usUri = RedisURI.create(regions.region("us").redis().uri());
        usUri.setTimeout(RegionalRedisConfig.DEFAULT_COMMAND_TIMEOUT);
        RedisURI apUri = RedisURI.create(regions.region("ap").redis().uri());
        apUri.setTimeout(RegionalRedisConfig.DEFAULT_COMMAND_TIMEOUT);
        usClient = RedisClient.create(usUri);
        apClient = RedisClient.create(apUri);
        usConnection = usClient.connect();
        apConnection = apClient.connect();
        us = usConnection.sync();
        ap = apConnection.sync();
        regions.region("ap").delay(Duration.ofMillis(fallbackDelayMs));
        regions.region("us").redis().partition();
        RedisBench.awaitState(health, "us", false, Duration.ofSeconds(15));
    }

    @Benchmark
    public Object read() {
        if (mode.equals("regional")) {
            return redis.get("product:1");
        }
        try {
            return us.hget("product:1", "d");
        } catch (RuntimeException e) {
            return ap.hget("product:1", "d");
        }
    }

    @TearDown
    public void tearDown() {
        regions.region("us").redis().heal();
        usConnection.close();
        apConnection.close();
        usClient.shutdown();
        apClient.shutdown();
        redis.close();
        health.close();
        regions.close();
    }
}
