package io.regionrouter.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.regionrouter.core.CachingRegionDirectory;
import io.regionrouter.core.HealthConfig;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionEventListener;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.RegionStateChangedEvent;
import io.regionrouter.core.Topology;
import io.regionrouter.jdbc.JdbcRegionDirectory;
import io.regionrouter.jdbc.RegionPoolConfig;
import io.regionrouter.jdbc.RegionalDataSources;
import io.regionrouter.mongo.RegionalMongoClients;
import io.regionrouter.mongo.RegionalMongoConfig;
import io.regionrouter.redis.RegionalRedis;
import io.regionrouter.redis.RegionalRedisConfig;
import io.regionrouter.testkit.LocalRegion;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.PostgresServer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The application side of the demo: the library wired the way a service running in eu would wire
 * it, against the embedded regions. Built once, shared by the steps, closed before the regions.
 *
 * <ul>
 *   <li>one {@link RegionHealth} and one {@link RegionRouter} for everything;</li>
 *   <li>the directory of home regions: a {@link JdbcRegionDirectory} table in the primary region
 *       (us), read through its own small pool and cached by {@link CachingRegionDirectory};</li>
 *   <li>{@link RegionalDataSources} (one pool per region, logging in as the application role),
 *       {@link RegionalRedis} and {@link RegionalMongoClients}.</li>
 * </ul>
 */
final class DemoServices implements AutoCloseable {

    static final Region US = Region.of("us");
    static final Region EU = Region.of("eu");
    static final Region AP = Region.of("ap");

    /**
     * The library's default health checks: a probe every 500 ms with a 400 ms timeout, four
     * failures in a row mark a region DOWN (within 2.4 s), two successes bring it back. The JDBC
     * probe logs in off that budget, so regions 40 ms away pass it too.
     */
    static final HealthConfig HEALTH = HealthConfig.defaults();

    final Topology topology;
    final RegionHealth health;
    final HikariDataSource directoryPool;
    final JdbcRegionDirectory directoryTable;
    final CachingRegionDirectory directory;
    final RegionRouter router;
    final RegionalDataSources postgres;
    final RegionalRedis<String> redis;
    final RegionalMongoClients mongo;
    final AdminConnections admin;
    /** Every region state change seen while the demo ran, for the steps to report. */
    final List<RegionStateChangedEvent> stateChanges = new CopyOnWriteArrayList<>();

    private final Deque<AutoCloseable> closeInReverse = new ArrayDeque<>();

    private DemoServices(LocalRegions regions) {
        try {
            topology = Topology.builder()
                    .regions(Demo.REGIONS.toArray(String[]::new))
                    .local(Demo.LOCAL)
                    .primary("us")
                    .proximity("eu", "us", "ap")
                    .build();
            RegionEventListener recordStates = event -> {
                if (event instanceof RegionStateChangedEvent change) {
                    stateChanges.add(change);
                }
            };
            health = register(RegionHealth.builder().config(HEALTH).listener(recordStates).build());
            admin = register(new AdminConnections(regions));

            PostgresServer primaryDb = regions.region(topology.primary().id()).postgres();
            directoryPool = register(new HikariDataSource(directoryPoolConfig(primaryDb)));
            directoryTable = JdbcRegionDirectory.builder(topology)
                    .lookups(directoryPool)
                    .assignments(directoryPool)
                    .build();
            directory = CachingRegionDirectory.builder(directoryTable).build();
            router = RegionRouter.builder(topology).directory(directory).health(health).build();

            RegionalDataSources.Builder pools = RegionalDataSources.builder(router);
            for (LocalRegion region : regions.regions()) {
                PostgresServer db = region.postgres();
                pools.region(region.name(), RegionPoolConfig.builder().allowPlaintext(true)
                        .jdbcUrl(db.jdbcUrl())
                        .username(db.appUser())
                        .password(db.appPassword())
                        .maximumPoolSize(region.name().equals(Demo.LOCAL) ? 4 : 2)
                        .build());
            }
            postgres = register(pools.build());

            RegionalRedis.Builder<String> redisBuilder = RegionalRedis.builder(router)
                    .config(RegionalRedisConfig.builder()
                            .global("product:")
                            .regulated("profile:")
                            .compression(true)
                            .allowPlaintext(true) // the demo's local servers speak redis:// on 127.0.0.1
                            .build());
            RegionalMongoClients.Builder mongoBuilder = RegionalMongoClients.builder(router)
                    .config(RegionalMongoConfig.builder().database("demo").build());
            for (LocalRegion region : regions.regions()) {
                redisBuilder.region(region.name(), region.redis().uri());
                mongoBuilder.region(region.name(), region.mongo().connectionString());
            }
            redis = register(redisBuilder.build());
            mongo = register(mongoBuilder.build());
        } catch (RuntimeException e) {
            try {
                close();
            } catch (RuntimeException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
    }

    /**
     * Wires the library against started regions. If any part fails, what was built is closed.
     */
    static DemoServices start(LocalRegions regions) {
        return new DemoServices(regions);
    }

    private static HikariConfig directoryPoolConfig(PostgresServer primaryDb) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("region-directory");
        config.setJdbcUrl(primaryDb.jdbcUrl());
        config.setUsername(primaryDb.appUser());
        config.setPassword(primaryDb.appPassword());
        config.setMaximumPoolSize(2);
        config.setConnectionTimeout(5_000);
        return config;
    }

    /**
     * Takes over something a step started, such as the failover manager, to be closed with the
     * services: before everything built at start-up, which it may still use (pools, health).
     */
    <T extends AutoCloseable> T closeWithServices(T resource) {
        return register(resource);
    }

    private <T extends AutoCloseable> T register(T resource) {
        closeInReverse.push(resource);
        return resource;
    }

    /**
     * Closes what the steps handed over first (the failover manager), then clients and pools, and the
     * health monitor last. Every close is attempted.
     */
    @Override
    public void close() {
        RuntimeException failure = null;
        while (!closeInReverse.isEmpty()) {
            try {
                closeInReverse.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("closing the demo's clients failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
