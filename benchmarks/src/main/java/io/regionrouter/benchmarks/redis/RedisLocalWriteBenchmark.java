package io.regionrouter.benchmarks.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.regionrouter.core.HealthConfig;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.Topology;
import io.regionrouter.redis.AckPolicy;
import io.regionrouter.redis.RegionalRedis;
import io.regionrouter.redis.ReplicationMode;
import io.regionrouter.redis.Version;
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
 * A fan-out write with ack {@code LOCAL} against one plain Lettuce {@code SET} to the local region,
 * in the same run. Seen from us (testkit {@code viewFrom("us")}): eu and ap are 40 ms away one way,
 * so the two remote writes of the fan-out are still in flight when the local ack completes.
 * <ul>
 *   <li>{@code plainSet}: a synchronous Lettuce SET of the same ~200-byte JSON to us (baseline);</li>
 *   <li>{@code ackLocal}: {@code RegionalRedis.set(key, value, AckPolicy.LOCAL)}: HLC version,
 *       EVALSHA of the compare-and-set script in all three regions at once, completes on us's ack;</li>
 *   <li>{@code ackLocalOneRegion}: diagnostic, the same write with a topology of us alone, to
 *       separate the per-write cost (version, script) from the cost of fanning out on a shared
 *       2-core machine (the two remote writes and their proxies compete for the same CPUs).</li>
 *   <li>{@code ackLocalBatched}: the same write with eu and ap {@code BATCHED(500 ms, 1 MiB)}: applied in
 *       us and queued in us's hint log for each of them, shipped in compressed batches in the
 *       background (nobody applies the inboxes here; only the writer's side is measured).</li>
 * </ul>
 * Targets: ackLocal p50 at most 1.2x plainSet p50; ackLocalBatched p50 within 1.1x of ackLocal.
 *
 * <pre>{@code
 * ./mvnw -B -q -pl redis-replication install -DskipTests
 * flock /tmp/benchmarks.lock ./mvnw -B -q -pl benchmarks package -DskipTests
 * flock /tmp/benchmarks.lock java -jar benchmarks/target/benchmarks.jar RedisLocalWriteBenchmark \
 *     -f 1 -wi 1 -w 2s -i 3 -r 3s -rf json -rff benchmarks/results/redis-local-write.json
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@Threads(1)
public class RedisLocalWriteBenchmark {

    @Param({"plainSet", "ackLocal", "ackLocalOneRegion", "ackLocalBatched"})
    public String mode;

    private LocalRegions regions;
    private RegionHealth health;
    private RegionalRedis<String> redis;
    private RegionHealth soloHealth;
    private RegionalRedis<String> solo;
    private RegionHealth batchedHealth;
    private RegionalRedis<String> batched;
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private RedisCommands<String, String> plain;
    private String[] values;
    private int i;

    @Setup
    public void setUp() {
        regions = RedisBench.startRegions();
        regions.viewFrom("us");
        health = RedisBench.health(HealthConfig.defaults());
        redis = RedisBench.redis(regions, RedisBench.router(health), RedisBench.config().build());
        soloHealth = RedisBench.health(HealthConfig.defaults());
        solo = RegionalRedis.builder(RegionRouter.builder(Topology.builder().regions("us").local("us").primary("us")
                        .build()).health(soloHealth).build())
                .config(RedisBench.config().build())
                .region("us", regions.region("us").redis().uri()).build();
        batchedHealth = RedisBench.health(HealthConfig.defaults());
        ReplicationMode every500ms = ReplicationMode.batched(Duration.ofMillis(500), 1 << 20);
        batched = RedisBench.redis(regions, RedisBench.router(batchedHealth), RedisBench.config()
                .replication("eu", every500ms).replication("ap", every500ms).build());
        client = RedisClient.create(regions.region("us").redis().uri());
        connection = client.connect();
        plain = connection.sync();
        values = new String[1024];
        for (int k = 0; k < values.length; k++) {
            values[k] = RedisBench.smallJson(k);
        }
    }

    @Benchmark
    public Object write() {
        int k = (i++) & 1023;
        String key = "product:" + k;
        if (mode.equals("plainSet")) {
            return plain.set(key, values[k]);
        }
        RegionalRedis<String> target = switch (mode) {
            case "ackLocal" -> redis;
            case "ackLocalBatched" -> batched;
            default -> solo;
        };
        Version v = target.set(key, values[k], AckPolicy.LOCAL);
        return v;
    }

    @TearDown
    public void tearDown() {
        connection.close();
        client.shutdown();
        redis.close();
        solo.close();
        soloHealth.close();
        batched.close();
        batchedHealth.close();
        health.close();
        regions.close();
    }
}
