package io.regionrouter.jdbc.internal;

import io.regionrouter.core.support.Bounds;
import io.regionrouter.jdbc.MoveGuard;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;

/** Writes the fence rows of {@link MoveGuard} in one region's database (as its owner or a superuser). */
public final class Fences {

    private Fences() {
    }

    /**
     * Freezes a user: waits (at most {@code lockWait}) for the user's writes in flight, then records
     * the freeze until {@code duration} from now by this database's clock.
     *
     * @return the freeze's length left when it committed, in ms
     */
    public static long freeze(DataSource db, String user, long epoch, Duration duration, Duration lockWait) throws SQLException {
        long left = freezeNow(db, user, epoch, duration, lockWait);
        awaitOlderTransactions(db, user, lockWait);
        return left;
    }

    /**
     * A transaction in REPEATABLE READ (or SERIALIZABLE) that began before the freeze committed keeps
     * a snapshot without the fence row, so it could still write after the catch-up read the source.
     * Waits until every client transaction that began before the freeze has ended; if one outlives
     * the wait, the freeze is lifted and the step fails (the move can be resumed).
     */
    private static void awaitOlderTransactions(DataSource db, String user, Duration wait) throws SQLException {
        long deadline = System.nanoTime() + wait.toNanos();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_stat_activity"
                + " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() AND state <> 'idle' AND xact_start < ?")) {
            java.sql.Timestamp after;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT clock_timestamp()")) {
                rs.next();
                after = rs.getTimestamp(1); // after the freeze committed: later transactions see the fence
            }
            ps.setTimestamp(1, after);
            while (true) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        return;
                    }
                }
                if (System.nanoTime() - deadline > 0) {
                    unfreeze(db, user);
                    throw new java.sql.SQLTransientException("a transaction that began before the freeze of user "
                            + Bounds.truncate(user) + " did not end within " + wait.toMillis() + " ms; the freeze was lifted");
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    unfreeze(db, user);
                    throw new java.sql.SQLTransientException("interrupted while freezing user " + Bounds.truncate(user), e);
                }
            }
        }
    }

    private static long freezeNow(DataSource db, String user, long epoch, Duration duration, Duration lockWait)
            throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement();
                    PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(" + MoveGuard.LOCK_SPACE + ", hashtext(?))");
                    PreparedStatement fence = c.prepareStatement("INSERT INTO " + MoveGuard.FENCE_TABLE + " AS f (user_id, state, until,"
                            + " epoch) VALUES (?, 'frozen', clock_timestamp() + ? * interval '1 millisecond', ?) ON CONFLICT (user_id)"
                            + " DO UPDATE SET state = 'frozen', until = EXCLUDED.until, epoch = EXCLUDED.epoch, updated_at = now()"
                            + " RETURNING (extract(epoch FROM until - clock_timestamp()) * 1000)::bigint")) {
                s.execute("SET LOCAL lock_timeout = " + Math.max(1, lockWait.toMillis()));
                lock.setString(1, user);
                lock.execute();
                fence.setString(1, user);
                fence.setLong(2, duration.toMillis());
                fence.setLong(3, epoch);
                long left;
                try (ResultSet rs = fence.executeQuery()) {
                    rs.next();
                    left = rs.getLong(1);
                }
                c.commit();
                return left;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** How long the user's freeze still lasts by this database's clock, in ms; 0 or less if over or absent. */
    public static long freezeLeftMillis(DataSource db, String user) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT (extract(epoch FROM until"
                + " - clock_timestamp()) * 1000)::bigint FROM " + MoveGuard.FENCE_TABLE + " WHERE user_id = ? AND state = 'frozen'")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /** Refuses the user's writes in this database for good. */
    public static void markMoved(DataSource db, String user, long epoch) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO " + MoveGuard.FENCE_TABLE
                + " (user_id, state, until, epoch) VALUES (?, 'moved', NULL, ?) ON CONFLICT (user_id) DO UPDATE"
                + " SET state = 'moved', until = NULL, epoch = EXCLUDED.epoch, updated_at = now()")) {
            ps.setString(1, user);
            ps.setLong(2, epoch);
            ps.executeUpdate();
        }
    }

    /** Removes the user's fence row (any state): a target that the user moves (back) into. */
    public static void clear(DataSource db, String user) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("DELETE FROM " + MoveGuard.FENCE_TABLE
                + " WHERE user_id = ?")) {
            ps.setString(1, user);
            ps.executeUpdate();
        }
    }

    /** Lifts a freeze, leaving a {@code moved} row alone. */
    public static void unfreeze(DataSource db, String user) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("DELETE FROM " + MoveGuard.FENCE_TABLE
                + " WHERE user_id = ? AND state = 'frozen'")) {
            ps.setString(1, user);
            ps.executeUpdate();
        }
    }

    /** The epoch of the user in this database's copy of the directory, or 0. */
    public static long copyEpoch(DataSource db, String directoryTable, String user) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT epoch FROM " + directoryTable + " WHERE user_id = ?")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }
}
