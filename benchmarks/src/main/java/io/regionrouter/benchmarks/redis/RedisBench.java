package io.regionrouter.benchmarks.redis;

import io.regionrouter.core.HealthConfig;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.Store;
import io.regionrouter.core.Topology;
import io.regionrouter.redis.RegionalRedis;
import io.regionrouter.redis.RegionalRedisConfig;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.ServerKind;
import java.time.Duration;

/** Shared set-up of the Redis benchmarks: three regions (us, eu, ap), us local. */
final class RedisBench {

    private RedisBench() {
    }

    static LocalRegions startRegions() {
        LocalRegions regions = LocalRegions.builder()
                .region("us", ServerKind.REDIS)
                .region("eu", ServerKind.REDIS)
                .region("ap", ServerKind.REDIS)
                .build();
        regions.start();
        return regions;
    }

    /** A health monitor with the given settings; probes come from RegionalRedis. */
    static RegionHealth health(HealthConfig config) {
        return RegionHealth.builder().config(config).build();
    }

    static RegionRouter router(RegionHealth health) {
        return RegionRouter.builder(Topology.builder()
                        .regions("us", "eu", "ap").local("us").primary("us")
                        .proximity("us", "ap", "eu")
                        .build())
                .health(health)
                .build();
    }

    /**
     * The settings every benchmark starts from: the keys they write ({@code product:}, {@code doc:})
     * declared GLOBAL, and plaintext allowed, because the testkit's servers speak {@code redis://} on
     * 127.0.0.1.
     */
    static RegionalRedisConfig.Builder config() {
        return RegionalRedisConfig.builder().global("product:").global("doc:").allowPlaintext(true);
    }

    static RegionalRedis<String> redis(LocalRegions regions, RegionRouter router, RegionalRedisConfig config) {
        RegionalRedis.Builder<String> b = RegionalRedis.builder(router).config(config);
        for (String name : regions.names()) {
            b.region(name, regions.region(name).redis().uri());
        }
        return b.build();
    }

    static void awaitState(RegionHealth health, String region, boolean up, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (health.isUp(Region.of(region), Store.REDIS) != up) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("redis of region " + region + " did not become "
                        + (up ? "UP" : "DOWN"));
            }
            sleep(20);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** A JSON document of about 200 bytes. */
    static String smallJson(int i) {
        return "{\"id\":" + i + ",\"sku\":\"SKU-" + (100000 + i) + "\",\"name\":\"Desk lamp model " + i
                + "\",\"price\":49.90,\"currency\":\"EUR\",\"stock\":" + (i % 97) + ",\"tags\":[\"home\",\"light\"]}";
    }
}
