package io.regionrouter.redis.it;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.observation.ObservationRegistry;
import io.regionrouter.core.HealthConfig;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.StaticRegionDirectory;
import io.regionrouter.core.Store;
import io.regionrouter.core.Topology;
import io.regionrouter.redis.RegionalRedis;
import io.regionrouter.redis.RegionalRedisConfig;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.ServerKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Test fixture: three regions (us, eu, ap) with a real Redis each behind a fault-injecting proxy,
 * plus helpers to build instances and inspect every server directly (bypassing the proxies).
 */
final class ThreeRegions implements AutoCloseable {

    static final Duration COMMAND_TIMEOUT = Duration.ofMillis(500);

    static LocalRegions servers() {
        return LocalRegions.builder()
                .region("us", ServerKind.REDIS)
                .region("eu", ServerKind.REDIS)
                .region("ap", ServerKind.REDIS)
                .build();
    }

    private final LocalRegions regions;
    private final Map<String, RedisClient> directClients = new HashMap<>();
    private final Map<String, StatefulRedisConnection<String, String>> direct = new HashMap<>();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final Map<String, StatefulRedisConnection<byte[], byte[]>> directBytes = new HashMap<>();

    ThreeRegions(LocalRegions regions) {
        this.regions = regions;
    }

    /** Undoes faults and empties every server. */
    void reset() {
        regions.resetFaults();
        for (String name : regions.names()) {
            direct(name).flushall();
        }
    }

    /** Returns commands on a region's server itself, bypassing its proxy. */
    RedisCommands<String, String> direct(String region) {
        return direct.computeIfAbsent(region, r -> {
            RedisClient c = RedisClient.create("redis://127.0.0.1:" + regions.region(r).redis().directPort());
            directClients.put(r, c);
            return c.connect();
        }).sync();
    }

    /** Returns commands on a region's server itself with byte keys and values, bypassing its proxy. */
    io.lettuce.core.api.sync.RedisCommands<byte[], byte[]> directBytes(String region) {
        return directBytes.computeIfAbsent(region, r -> {
            direct(r);
            return directClients.get(r).connect(io.lettuce.core.codec.ByteArrayCodec.INSTANCE);
        }).sync();
    }

    LocalRegions regions() {
        return regions;
    }

    /** A router with fast health checks, local region {@code local}; alice is homed in eu, bob in us. */
    RegionRouter router(String local) {
        return router(local, HealthConfig.builder().interval(Duration.ofMillis(150)).timeout(Duration.ofMillis(150))
                .failureThreshold(2).successThreshold(1).build());
    }

    /** The same router with the given health settings. */
    RegionRouter router(String local, HealthConfig healthConfig) {
        return router(local, healthConfig, ObservationRegistry.NOOP);
    }

    /** The same router with the given health settings, observed by {@code observations}. */
    RegionRouter router(String local, HealthConfig healthConfig, ObservationRegistry observations) {
        RegionHealth health = RegionHealth.builder().config(healthConfig).build();
        toClose.add(health);
        return RegionRouter.builder(Topology.builder()
                        .regions("us", "eu", "ap").local(local).primary("us")
                        .proximity("us", "ap", "eu").proximity("ap", "us", "eu").proximity("eu", "us", "ap")
                        .residency("us", "ap")
                        .build())
                .directory(StaticRegionDirectory.builder().user("alice", "eu").user("bob", "us").build())
                .health(health)
                .observationRegistry(observations)
                .build();
    }

    /**
     * The settings of most tests: fast timeouts, {@code product:} declared GLOBAL, {@code profile:}
     * REGULATED, and plaintext allowed, because the testkit's servers speak {@code redis://} on
     * 127.0.0.1 and loopback gets no exemption.
     */
    RegionalRedisConfig.Builder config() {
        return RegionalRedisConfig.builder().commandTimeout(COMMAND_TIMEOUT).replayInterval(Duration.ofMillis(100))
                .replayClaimIdle(Duration.ofSeconds(2)).global("product:").regulated("profile:").allowPlaintext(true);
    }

    RegionalRedis<String> redis(String local, RegionalRedisConfig config) {
        return redis(router(local), config, System::currentTimeMillis);
    }

    RegionalRedis<String> redis(RegionRouter router, RegionalRedisConfig config, LongSupplier clock) {
        return redis(RegionalRedis.builder(router).config(config)
                .clock(() -> java.time.Instant.ofEpochMilli(clock.getAsLong())));
    }

    /** An instance on shared Lettuce resources (whose timer then holds its timeouts); the caller shuts them down. */
    RegionalRedis<String> redis(RegionRouter router, RegionalRedisConfig config, ClientResources resources) {
        return redis(RegionalRedis.builder(router).config(config).clientResources(resources));
    }

    private RegionalRedis<String> redis(RegionalRedis.Builder<String> b) {
        for (String name : regions.names()) {
            b.region(name, regions.region(name).redis().uri());
        }
        RegionalRedis<String> redis = b.build();
        toClose.add(redis);
        return redis;
    }

    /** Waits (bounded) until the router's health reports the region's Redis in the wanted state. */
    static void awaitState(RegionRouter router, String region, boolean up) {
        awaitTrue(() -> router.health().isUp(Region.of(region), Store.REDIS) == up, Duration.ofSeconds(10),
                "redis of region " + region + " to be " + (up ? "UP" : "DOWN"));
    }

    static void awaitTrue(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            pause(Duration.ofMillis(20));
        }
    }

    /** Sleeps; a duration that is zero or negative returns at once. */
    static void pause(Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Closes instances and routers created since the last call. */
    void closeInstances() {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                throw new IllegalStateException("close failed", e);
            }
        }
        toClose.clear();
    }

    @Override
    public void close() {
        closeInstances();
        directBytes.values().forEach(StatefulRedisConnection::close);
        direct.values().forEach(StatefulRedisConnection::close);
        directClients.values().forEach(RedisClient::shutdown);
    }
}
