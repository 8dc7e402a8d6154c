package io.regionrouter.jdbc.failover.internal;

import io.regionrouter.jdbc.failover.PrimaryIdentity;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The durable side of a primary's identity: {@code region_router.primary_epoch}, one row per
 * promotion made through this library, written on the new primary by the promoter. It replicates
 * to every standby, so any instance, a restarted one included, reads the epoch from the servers.
 * Also reads a server's whole {@link ServerState}. Stateless.
 */
public final class EpochTable {

    /** The table's qualified name. */
    public static final String TABLE = "region_router.primary_epoch";

    // the timeline of the WAL being written: pg_control_checkpoint().timeline_id lags until the next
    // checkpoint after a promotion, the WAL file name does not (Patroni reads it the same way)
    private static final String STATE_SQL = "SELECT pg_is_in_recovery(),"
            + " current_setting('default_transaction_read_only') = 'on',"
            + " (SELECT system_identifier FROM pg_control_system()),"
            + " CASE WHEN pg_is_in_recovery()"
            + " THEN COALESCE((SELECT received_tli FROM pg_stat_wal_receiver), (SELECT timeline_id FROM pg_control_checkpoint()))"
            + " ELSE ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int END,"
            + " to_regclass('" + TABLE + "') IS NOT NULL";

    private EpochTable() {
    }

    /**
     * Reads a server's state on an open connection.
     *
     * @param c an administrative connection
     * @return the state
     * @throws SQLException as the server answers
     */
    public static ServerState read(Connection c) throws SQLException {
        boolean inRecovery;
        boolean readOnly;
        long system;
        int timeline;
        boolean hasTable;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(STATE_SQL)) {
            rs.next();
            inRecovery = rs.getBoolean(1);
            readOnly = rs.getBoolean(2);
            system = rs.getLong(3);
            timeline = rs.getInt(4);
            hasTable = rs.getBoolean(5);
        }
        long epoch = 0;
        if (hasTable) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COALESCE(max(epoch), 0) FROM " + TABLE)) {
                rs.next();
                epoch = rs.getLong(1);
            }
        }
        return new ServerState(inRecovery, readOnly, new PrimaryIdentity(system, Math.max(1, timeline), epoch));
    }

    /**
     * Records a promotion on the new primary, creating the table on first use. Idempotent per epoch.
     *
     * @param c an administrative connection to the promoted server, in auto-commit
     * @param epoch the epoch of the promotion
     * @param promotedBy who promoted, for operators: an instance name
     * @throws SQLException as the server answers
     */
    public static void record(Connection c, long epoch, String promotedBy) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS region_router");
            s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (epoch bigint PRIMARY KEY, timeline int NOT NULL,"
                    + " promoted_at timestamptz NOT NULL DEFAULT now(), promoted_by text NOT NULL)");
        }
        // the fence may have left the server read-only for new sessions; this write is the promoter's own
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE + " (epoch, timeline, promoted_by)"
                + " VALUES (?, ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int, ?)"
                + " ON CONFLICT (epoch) DO NOTHING")) {
            ps.setLong(1, epoch);
            ps.setString(2, promotedBy);
            ps.executeUpdate();
        }
    }
}
