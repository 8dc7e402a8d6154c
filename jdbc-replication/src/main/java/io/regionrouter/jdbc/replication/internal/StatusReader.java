package io.regionrouter.jdbc.replication.internal;

import io.regionrouter.core.Region;
import io.regionrouter.jdbc.replication.SenderStatus;
import io.regionrouter.jdbc.replication.SlotStatus;
import io.regionrouter.jdbc.replication.StandbyStatus;
import io.regionrouter.jdbc.replication.SubscriptionStatus;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads the replication views of one database. Every query is bounded by a statement timeout.
 * Needs a role with {@code pg_monitor} (or superuser) to see other sessions' details. Stateless.
 */
public final class StatusReader {

    /** Senders, with their slot and lag in time and bytes. */
    static final String SENDERS = "SELECT r.application_name, s.slot_name, s.slot_type = 'logical', r.state,"
            + " EXTRACT(EPOCH FROM r.write_lag), EXTRACT(EPOCH FROM r.flush_lag), EXTRACT(EPOCH FROM r.replay_lag),"
            + " CASE WHEN pg_is_in_recovery() OR r.replay_lsn IS NULL THEN -1"
            + "      ELSE pg_wal_lsn_diff(pg_current_wal_lsn(), r.replay_lsn)::bigint END,"
            + " coalesce(r.replay_lsn >= r.sent_lsn, false)"
            + " FROM pg_stat_replication r LEFT JOIN pg_replication_slots s ON s.active_pid = r.pid ORDER BY 1";
    /** Slots and the WAL they retain. */
    static final String SLOTS = "SELECT slot_name, slot_type = 'logical', active, wal_status,"
            + " CASE WHEN restart_lsn IS NULL THEN NULL"
            + "      WHEN pg_is_in_recovery() THEN pg_wal_lsn_diff(pg_last_wal_replay_lsn(), restart_lsn)::bigint"
            + "      ELSE pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint END"
            + " FROM pg_replication_slots ORDER BY 1";
    /**
     * The standby's own view of its lag. Works for any role: without {@code pg_read_all_stats} the
     * WAL receiver's status is hidden, and a running receiver counts as streaming.
     */
    static final String STANDBY = "SELECT pg_is_in_recovery(),"
            + " CASE WHEN pg_is_in_recovery() THEN pg_is_wal_replay_paused() ELSE false END,"
            // roles without pg_read_all_stats see the receiver's row with its details NULL
            + " coalesce((SELECT status IS NULL OR status = 'streaming' FROM pg_stat_wal_receiver), false),"
            + " CASE WHEN NOT pg_is_in_recovery() THEN NULL"
            + "      WHEN pg_last_wal_receive_lsn() IS NOT NULL AND pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn() THEN 0"
            + "      ELSE EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp()) END,"
            + " pg_last_wal_replay_lsn()::text";

    private StatusReader() {
    }

    /** The WAL senders of the connected database. */
    public static List<SenderStatus> senders(Connection c, Region region, int timeoutSeconds) throws SQLException {
        List<SenderStatus> out = new ArrayList<>();
        try (Statement s = statement(c, timeoutSeconds); ResultSet rs = s.executeQuery(SENDERS)) {
            while (rs.next()) {
                out.add(new SenderStatus(region, rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getString(4),
                        seconds(rs, 5), seconds(rs, 6), seconds(rs, 7), rs.getLong(8), rs.getBoolean(9)));
            }
        }
        return out;
    }

    /** The replication slots of the connected server. */
    public static List<SlotStatus> slots(Connection c, Region region, int timeoutSeconds) throws SQLException {
        List<SlotStatus> out = new ArrayList<>();
        try (Statement s = statement(c, timeoutSeconds); ResultSet rs = s.executeQuery(SLOTS)) {
            while (rs.next()) {
                long retained = rs.getLong(5);
                out.add(new SlotStatus(region, rs.getString(1), rs.getBoolean(2), rs.getBoolean(3), rs.getString(4),
                        rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(retained)));
            }
        }
        return out;
    }

    /** The subscriptions of the connected database, with their apply workers. */
    public static List<SubscriptionStatus> subscriptions(Connection c, Region region, int timeoutSeconds) throws SQLException {
        List<SubscriptionStatus> out = new ArrayList<>();
        boolean leaderColumn;
        try (Statement s = statement(c, timeoutSeconds); ResultSet rs = s.executeQuery("SHOW server_version_num")) {
            rs.next();
            leaderColumn = Integer.parseInt(rs.getString(1)) >= 160000;
        }
        String sql = "SELECT s.subname, s.subenabled, w.pid IS NOT NULL, w.last_msg_send_time, w.last_msg_receipt_time,"
                + " w.latest_end_time FROM pg_subscription s LEFT JOIN pg_stat_subscription w ON w.subid = s.oid"
                + " AND w.relid IS NULL" + (leaderColumn ? " AND w.leader_pid IS NULL" : "")
                + " WHERE s.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY 1";
        try (Statement s = statement(c, timeoutSeconds); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(new SubscriptionStatus(region, rs.getString(1), rs.getBoolean(2), rs.getBoolean(3), instant(rs, 4),
                        instant(rs, 5), instant(rs, 6)));
            }
        }
        return out;
    }

    /** A standby's own status. */
    public static StandbyStatus standby(Connection c, Region region, String name, int timeoutSeconds) throws SQLException {
        try (Statement s = statement(c, timeoutSeconds); ResultSet rs = s.executeQuery(STANDBY)) {
            rs.next();
            return new StandbyStatus(region, name, rs.getBoolean(1), rs.getBoolean(2), rs.getBoolean(3), seconds(rs, 4),
                    rs.getString(5));
        }
    }

    private static Statement statement(Connection c, int timeoutSeconds) throws SQLException {
        Statement s = c.createStatement();
        s.setQueryTimeout(timeoutSeconds);
        return s;
    }

    private static Optional<Duration> seconds(ResultSet rs, int column) throws SQLException {
        double value = rs.getDouble(column);
        if (rs.wasNull()) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos(Math.max(0L, Math.round(value * 1e9))));
    }

    private static Optional<Instant> instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? Optional.empty() : Optional.of(t.toInstant());
    }
}
