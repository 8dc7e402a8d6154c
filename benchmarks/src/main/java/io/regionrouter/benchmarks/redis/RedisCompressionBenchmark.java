package io.regionrouter.benchmarks.redis;

import io.regionrouter.core.HealthConfig;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.redis.AckPolicy;
import io.regionrouter.redis.RegionStats;
import io.regionrouter.redis.RegionalRedis;
import io.regionrouter.testkit.LocalRegions;
import java.util.List;
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
 * Compression on a realistic JSON corpus ({@link JsonCorpus}: 400 products, profiles, orders and
 * search pages, about 0.3 to 20 KB). The set-up writes every document once and prints the bytes
 * sent to eu raw and compressed, the saving, and the estimated transfer cost (at the default
 * 0.02 per GB), as a line starting with {@code COMPRESSION}. The benchmark then measures the write
 * latency (ack LOCAL) with compression off and on, in the same run, to show what it costs.
 * Target: at least 60 % of cross-region bytes saved.
 *
 * <pre>{@code
 * flock /tmp/benchmarks.lock java -jar benchmarks/target/benchmarks.jar RedisCompressionBenchmark \
 *     -f 1 -wi 1 -w 2s -i 2 -r 3s -rf json -rff benchmarks/results/redis-compression.json
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 2, time = 3)
@Fork(1)
@Threads(1)
public class RedisCompressionBenchmark {

    @Param({"off", "deflate"})
    public String compression;

    private LocalRegions regions;
    private RegionHealth health;
    private RegionalRedis<String> redis;
    private List<String> corpus;
    private int i;

    @Setup
    public void setUp() {
        regions = RedisBench.startRegions();
        health = RedisBench.health(HealthConfig.defaults());
        redis = RedisBench.redis(regions, RedisBench.router(health), RedisBench.config()
                .compression(compression.equals("deflate")).build());
        corpus = JsonCorpus.generate(400, 42);
        for (int k = 0; k < corpus.size(); k++) {
            redis.set("doc:" + k, corpus.get(k), AckPolicy.ALL);
        }
        RegionStats eu = redis.stats().get(Region.of("eu"));
        System.out.printf("COMPRESSION %s docs=%d raw=%d sent=%d saved=%.1f%% estimatedCostEu=%.9f%n", compression,
                corpus.size(), eu.rawBytes(), eu.sentBytes(), 100.0 * eu.savedBytes() / eu.rawBytes(),
                eu.estimatedTransferCost());
    }

    @Benchmark
    public Object write() {
        int k = (i++) % corpus.size();
        return redis.set("doc:" + k, corpus.get(k), AckPolicy.LOCAL);
    }

    @TearDown
    public void tearDown() {
        redis.close();
        health.close();
        regions.close();
    }
}
