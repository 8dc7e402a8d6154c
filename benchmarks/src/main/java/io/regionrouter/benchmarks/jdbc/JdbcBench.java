package io.regionrouter.benchmarks.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.observation.ObservationRegistry;
import io.regionrouter.core.CachingRegionDirectory;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.StaticRegionDirectory;
import io.regionrouter.core.Topology;
import io.regionrouter.testkit.PostgresServer;

/** Shared set-up of the JDBC benchmarks: the router they measure and the bare pool they compare it with. */
final class JdbcBench {

    private JdbcBench() {
    }

    /** A router whose cached directory homes alice in eu. */
    static RegionRouter aliceInEu(Topology topology, RegionHealth health) {
        return aliceInEu(topology, health, ObservationRegistry.NOOP);
    }

    /** A router whose cached directory homes alice in eu, observed in a registry. */
    static RegionRouter aliceInEu(Topology topology, RegionHealth health, ObservationRegistry observations) {
        return RegionRouter.builder(topology).health(health).observationRegistry(observations)
                .directory(CachingRegionDirectory.builder(StaticRegionDirectory.builder().user("alice", Region.of("eu")).build())
                        .build())
                .build();
    }

    /**
     * The registry of an observation setting: {@code off}, none given ({@link ObservationRegistry#NOOP});
     * {@code noop}, a registry without handlers, which Micrometer treats as a no-op too; {@code on},
     * a registry with one handler that does nothing, so every observation is created, scoped and
     * stopped (what a registry costs before any meter or tracer does its own work).
     */
    static ObservationRegistry registry(String observation) {
        switch (observation) {
            case "off":
                return ObservationRegistry.NOOP;
            case "noop":
                return ObservationRegistry.create();
            case "on":
                ObservationRegistry registry = ObservationRegistry.create();
                registry.observationConfig().observationHandler(context -> true);
                return registry;
            default:
                throw new IllegalArgumentException("observation must be off, noop or on, but was " + observation);
        }
    }

    /** A bare HikariCP pool of four connections of the server's application user, without the router. */
    static HikariDataSource barePool(PostgresServer server, String poolName) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(server.jdbcUrl());
        hikari.setUsername(server.appUser());
        hikari.setPassword(server.appPassword());
        hikari.setMaximumPoolSize(4);
        hikari.setPoolName(poolName);
        return new HikariDataSource(hikari);
    }
}
