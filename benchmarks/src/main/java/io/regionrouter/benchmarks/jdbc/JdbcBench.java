package io.regionrouter.benchmarks.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
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
        return RegionRouter.builder(topology).health(health)
                .directory(CachingRegionDirectory.builder(StaticRegionDirectory.builder().user("alice", Region.of("eu")).build())
                        .build())
                .build();
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
