package io.regionrouter.examples;

import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.PostgresServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One superuser connection per region's database, opened on first use and kept: the demo's way of
 * looking at each database directly, around the library and past row-level security (superusers
 * bypass it), to check where rows really are.
 */
final class AdminConnections implements AutoCloseable {

    private final LocalRegions regions;
    private final Map<String, Connection> open = new LinkedHashMap<>();

    AdminConnections(LocalRegions regions) {
        this.regions = regions;
    }

    /** Returns the superuser connection to a region's database. */
    synchronized Connection connection(String region) throws SQLException {
        Connection c = open.get(region);
        if (c == null || c.isClosed()) {
            PostgresServer db = regions.region(region).postgres();
            c = db.superuserDataSource().getConnection();
            open.put(region, c);
        }
        return c;
    }

    /** Runs a one-number query such as {@code SELECT count(*) ...} in a region's database. */
    long queryLong(String region, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = connection(region).prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("query returned no row: " + sql);
                }
                return rs.getLong(1);
            }
        }
    }

    /** Runs a statement in a region's database. */
    void execute(String region, String sql) throws SQLException {
        try (var statement = connection(region).createStatement()) {
            statement.execute(sql);
        }
    }

    @Override
    public synchronized void close() throws SQLException {
        SQLException failure = null;
        for (Connection c : open.values()) {
            try {
                c.close();
            } catch (SQLException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        open.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
