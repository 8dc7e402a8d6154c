package io.regionrouter.jdbc.internal;

import io.regionrouter.core.Region;
import io.regionrouter.jdbc.MoveState;
import io.regionrouter.jdbc.MoveStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The moves and their audit trail, kept next to the directory table in the primary region's
 * database: {@code <directory>_moves} (one row per user, its last move) and
 * {@code <directory>_move_audit} (one row per step). The flip updates the directory row and the
 * move row in one statement.
 */
public final class MoveStore {

    private final DataSource primary;
    private final String directory;
    private final String moves;
    private final String audit;

    public MoveStore(DataSource primary, String directoryTable) {
        this.primary = primary;
        this.directory = directoryTable;
        this.moves = directoryTable + "_moves";
        this.audit = directoryTable + "_move_audit";
    }

    public String movesTable() {
        return moves;
    }

    public String auditTable() {
        return audit;
    }

    public List<String> ddl() {
        return List.of("CREATE TABLE IF NOT EXISTS " + moves + " (user_id text PRIMARY KEY, source text NOT NULL,"
                        + " target text NOT NULL, state text NOT NULL, start_epoch bigint NOT NULL, flip_epoch bigint NOT NULL"
                        + " DEFAULT 0, retain_until timestamptz, started_at timestamptz NOT NULL DEFAULT now(),"
                        + " updated_at timestamptz NOT NULL DEFAULT now())",
                "CREATE TABLE IF NOT EXISTS " + audit + " (id bigserial PRIMARY KEY, user_id text NOT NULL, source text NOT NULL,"
                        + " target text NOT NULL, step text NOT NULL, detail text NOT NULL, at timestamptz NOT NULL"
                        + " DEFAULT clock_timestamp())");
    }

    /** The user's region and epoch at the primary, or empty for a user without a row. */
    public Optional<Object[]> home(String user) throws SQLException {
        try (Connection c = primary.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT region, epoch FROM " + directory + " WHERE user_id = ?")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Object[] {rs.getString(1), rs.getLong(2)}) : Optional.empty();
            }
        }
    }

    /** Records a new move unless one is in progress; returns false then. */
    public boolean begin(String user, Region source, Region target, long epoch) throws SQLException {
        try (Connection c = primary.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO " + moves
                + " AS m (user_id, source, target, state, start_epoch) VALUES (?, ?, ?, 'PLANNED', ?) ON CONFLICT (user_id) DO UPDATE"
                + " SET source = EXCLUDED.source, target = EXCLUDED.target, state = 'PLANNED', start_epoch = EXCLUDED.start_epoch,"
                + " flip_epoch = 0, retain_until = NULL, started_at = now(), updated_at = now()"
                + " WHERE m.state IN ('DONE', 'ROLLED_BACK')")) {
            ps.setString(1, user);
            ps.setString(2, source.id());
            ps.setString(3, target.id());
            ps.setLong(4, epoch);
            return ps.executeUpdate() == 1;
        }
    }

    public Optional<MoveStatus> get(String user) throws SQLException {
        try (Connection c = primary.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT user_id, source, target,"
                + " state, start_epoch, flip_epoch, retain_until FROM " + moves + " WHERE user_id = ?")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(status(rs)) : Optional.empty();
            }
        }
    }

    /** Users whose source copies are due for deletion. */
    public List<String> due() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = primary.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT user_id FROM " + moves + " WHERE state = 'FENCED' AND retain_until <= now()"
                        + " ORDER BY retain_until")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** Moves whose source still holds copies (state FENCED): user, source, retain_until. */
    public List<MoveStatus> fenced() throws SQLException {
        List<MoveStatus> out = new ArrayList<>();
        try (Connection c = primary.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT user_id, source, target, state, start_epoch, flip_epoch, retain_until FROM "
                        + moves + " WHERE state IN ('FENCED', 'DONE')")) {
            while (rs.next()) {
                out.add(status(rs));
            }
        }
        return out;
    }

    /**
     * Moves the state on if it is still {@code from} and writes the step's audit row, in one
     * statement (one round trip: the steps under the freeze pay for each).
     *
     * @return the new state, or empty if another process moved it
     */
    public Optional<MoveStatus> advance(String user, MoveState from, MoveState to, String step, String detail) throws SQLException {
        try (Connection c = primary.getConnection(); PreparedStatement ps = c.prepareStatement("WITH m AS (UPDATE " + moves
                + " SET state = ?, updated_at = now() WHERE user_id = ? AND state = ? RETURNING user_id, source, target, state,"
                + " start_epoch, flip_epoch, retain_until), a AS (INSERT INTO " + audit + " (user_id, source, target, step, detail)"
                + " SELECT user_id, source, target, ?, ? FROM m) SELECT * FROM m")) {
            ps.setString(1, to.name());
            ps.setString(2, user);
            ps.setString(3, from.name());
            ps.setString(4, step);
            ps.setString(5, detail);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(status(rs)) : Optional.empty();
            }
        }
    }

    /** Moves the state on if it is still {@code from}; returns false if another process moved it. */
    public boolean advance(String user, MoveState from, MoveState to) throws SQLException {
        try (Connection c = primary.getConnection(); PreparedStatement ps = c.prepareStatement("UPDATE " + moves
                + " SET state = ?, updated_at = now() WHERE user_id = ? AND state = ?")) {
            ps.setString(1, to.name());
            ps.setString(2, user);
            ps.setString(3, from.name());
            return ps.executeUpdate() == 1;
        }
    }

    /** Sets FENCED with the retention's end, from FLIPPED. */
    public boolean fence(String user, Duration retention) throws SQLException {
        try (Connection c = primary.getConnection(); PreparedStatement ps = c.prepareStatement("UPDATE " + moves
                + " SET state = 'FENCED', retain_until = now() + ? * interval '1 millisecond', updated_at = now()"
                + " WHERE user_id = ? AND state = 'FLIPPED'")) {
            ps.setLong(1, retention.toMillis());
            ps.setString(2, user);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * The flip: the directory row moves to the target with a new epoch if its epoch is still the
     * expected one, and the move row becomes FLIPPED, in one statement.
     */
    public Optional<MoveStatus> flip(String user, Region target, long expectedEpoch, String detail) throws SQLException {
        try (Connection c = primary.getConnection(); PreparedStatement ps = c.prepareStatement("WITH flip AS (UPDATE " + directory
                + " SET region = ?, epoch = epoch + 1, updated_at = now() WHERE user_id = ? AND epoch = ?"
                + " AND EXISTS (SELECT 1 FROM " + moves + " WHERE user_id = ? AND state = 'CAUGHT_UP') RETURNING epoch),"
                + " m AS (UPDATE " + moves + " SET state = 'FLIPPED', flip_epoch = (SELECT epoch FROM flip), updated_at = now()"
                + " WHERE user_id = ? AND EXISTS (SELECT 1 FROM flip) RETURNING user_id, source, target, state, start_epoch,"
                + " flip_epoch, retain_until), a AS (INSERT INTO " + audit + " (user_id, source, target, step, detail)"
                + " SELECT user_id, source, target, 'flipped', 'directory names ' || target || ' at epoch ' || flip_epoch || ? FROM m)"
                + " SELECT * FROM m")) {
            ps.setString(1, target.id());
            ps.setString(2, user);
            ps.setLong(3, expectedEpoch);
            ps.setString(4, user);
            ps.setString(5, user);
            ps.setString(6, detail);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(status(rs)) : Optional.empty();
            }
        }
    }

    public void audit(MoveStatus status, String step, String detail) throws SQLException {
        try (Connection c = primary.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO " + audit
                + " (user_id, source, target, step, detail) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, status.userId());
            ps.setString(2, status.source().id());
            ps.setString(3, status.target().id());
            ps.setString(4, step);
            ps.setString(5, detail);
            ps.executeUpdate();
        }
    }

    private static MoveStatus status(ResultSet rs) throws SQLException {
        Timestamp retain = rs.getTimestamp(7);
        return new MoveStatus(rs.getString(1), Region.of(rs.getString(2)), Region.of(rs.getString(3)),
                MoveState.valueOf(rs.getString(4)), rs.getLong(5), rs.getLong(6), retain == null ? null : retain.toInstant());
    }
}
