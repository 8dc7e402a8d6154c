package io.regionrouter.jdbc.failover.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Makes a PostgreSQL server read-only for new transactions, persistently, and ends every other
 * client session so that none keeps writing: {@code ALTER SYSTEM SET default_transaction_read_only = on},
 * {@code pg_reload_conf()}, then {@code pg_terminate_backend} for the other client backends.
 */
public final class ReadOnlyFence {

    private ReadOnlyFence() {
    }

    /**
     * Applies the fence.
     *
     * @param admin a data source of a role allowed to run {@code ALTER SYSTEM} and to terminate sessions
     * @return the number of sessions ended
     * @throws SQLException when the server cannot be reached or refuses
     */
    public static int apply(DataSource admin) throws SQLException {
        try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            s.execute("ALTER SYSTEM SET default_transaction_read_only = on");
            s.execute("SELECT pg_reload_conf()");
            awaitReload(admin);
            int ended = 0;
            try (var rs = s.executeQuery("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()")) {
                if (rs.next()) {
                    ended = rs.getInt(1);
                }
            }
            return ended;
        }
    }

    /**
     * The reload is asynchronous: wait (at most about 1 s) until a new session starts read-only, so
     * that no session started after the termination below can write.
     */
    private static void awaitReload(DataSource admin) throws SQLException {
        for (int i = 0; i < 50; i++) {
            try (Connection c = admin.getConnection(); Statement s = c.createStatement();
                    var rs = s.executeQuery("SELECT current_setting('default_transaction_read_only')")) {
                if (rs.next() && "on".equals(rs.getString(1))) {
                    return;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting for the read-only setting to apply", e);
            }
        }
        throw new SQLException("the read-only setting did not apply to new sessions within 1 s");
    }
}
