package io.regionrouter.jdbc;

import io.regionrouter.core.Region;
import io.regionrouter.jdbc.replication.LogicalReplication;
import io.regionrouter.jdbc.replication.ReplicationEndpoint;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.PostgresServer;
import io.regionrouter.testkit.ServerKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Callable;
import javax.sql.DataSource;

/** Small helpers of the replication integration tests: endpoints on testkit servers, SQL, bounded waits. */
final class Pg {

    private Pg() {
    }

    /** us and eu, one PostgreSQL server each. */
    static LocalRegions usAndEu() {
        return LocalRegions.builder().region("us", ServerKind.POSTGRES).region("eu", ServerKind.POSTGRES).build();
    }

    /** A small pool of the server's application user. */
    static RegionPoolConfig poolConfig(PostgresServer s) {
        return RegionPoolConfig.builder().allowPlaintext(true).jdbcUrl(s.jdbcUrl()).username(s.appUser()).password(s.appPassword())
                .maximumPoolSize(3).minimumIdle(1).build();
    }

    /** An endpoint whose subscriptions connect through the server's proxy as the superuser. */
    static ReplicationEndpoint endpoint(PostgresServer server) {
        return ReplicationEndpoint.builder().admin(server.superuserDataSource()).host(server.host()).port(server.port())
                .database(PostgresServer.DATABASE).user(server.superUser()).password(server.superPassword()).allowPlaintext(true).build();
    }

    static LogicalReplication.Builder replication(LocalRegions regions, io.regionrouter.core.Topology topology) {
        LogicalReplication.Builder b = LogicalReplication.builder(topology);
        for (Region r : topology.regions()) {
            b.endpoint(r, endpoint(regions.region(r.id()).postgres()));
        }
        return b;
    }

    static String string(DataSource ds, String sql, Object... args) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Polls until the condition holds, at most {@code max}; fails with the description otherwise. */
    static void await(String what, Duration max, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + max + " waiting until " + what);
            }
            Thread.sleep(50);
        }
    }
}
