package io.regionrouter.jdbc.internal;

import io.regionrouter.core.Region;
import io.regionrouter.jdbc.MovedTable;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import javax.sql.DataSource;

/**
 * Copies one user's rows of one table from a source region's database to a target's by difference:
 * both sides are read as (key, row hash), rows missing or different in the target are upserted
 * with the target's region, and rows only the target has are deleted. Run again it copies only what
 * changed since, so the same call is the copy, the catch-up and the resume. Writes run with
 * {@code session_replication_role = replica} so the move guard does not refuse them; that needs a
 * superuser (or a role granted the setting).
 */
public final class RowSync {

    /** Rows per fetch and per insert batch. */
    static final int BATCH = 1000;

    private final MovedTable table;
    private final String cols;
    private final String keyText;
    private final String rowHash;

    public RowSync(MovedTable table) {
        this.table = table;
        this.cols = String.join(", ", table.columns());
        this.keyText = "ROW(" + String.join(", ", table.key()) + ")::text";
        this.rowHash = "md5(ROW(" + cols + ")::text)";
    }

    /** What one call did. */
    public record Result(long upserted, long deleted) {
    }

    /** A user's rows in one database: how many, and one hash over all of them in key order. */
    public record Digest(long rows, String hash) {
    }

    public Result sync(String user, DataSource source, Region sourceRegion, DataSource target, Region targetRegion)
            throws SQLException {
        Map<String, String> from = hashes(source, user, sourceRegion);
        Map<String, String> to = hashes(target, user, targetRegion);
        List<String> changed = new ArrayList<>();
        from.forEach((key, hash) -> {
            if (!hash.equals(to.get(key))) {
                changed.add(key);
            }
        });
        List<String> extra = new ArrayList<>();
        to.keySet().forEach(key -> {
            if (!from.containsKey(key)) {
                extra.add(key);
            }
        });
        if (changed.isEmpty() && extra.isEmpty()) {
            return new Result(0, 0);
        }
        try (Connection in = source.getConnection(); Connection out = target.getConnection()) {
            out.setAutoCommit(false);
            try {
                bypassGuard(out);
                long deleted = extra.isEmpty() ? 0 : delete(out, user, targetRegion, extra);
                if (changed.size() > BATCH) {
                    copyAll(in, out, user, sourceRegion, targetRegion, new HashSet<>(changed));
                } else if (!changed.isEmpty()) {
                    copy(in, out, user, sourceRegion, targetRegion, changed);
                }
                out.commit();
                return new Result(changed.size(), deleted);
            } catch (SQLException | RuntimeException e) {
                out.rollback();
                throw e;
            }
        }
    }

    public Digest digest(DataSource db, String user, Region region) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT count(*), coalesce(md5(string_agg("
                + rowHash + ", ',' ORDER BY " + keyText + ")), '') FROM " + table.table() + " WHERE " + table.userColumn()
                + " = ? AND " + table.regionColumn() + " = ?")) {
            ps.setObject(1, user, Types.OTHER);
            ps.setString(2, region.id());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Digest(rs.getLong(1), rs.getString(2));
            }
        }
    }

    /** Deletes every row of the user homed in {@code region} from that database; returns how many. */
    public long purge(DataSource db, String user, Region region) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table.table() + " WHERE " + table.userColumn()
                    + " = ? AND " + table.regionColumn() + " = ?")) {
                bypassGuard(c);
                ps.setObject(1, user, Types.OTHER);
                ps.setString(2, region.id());
                int n = ps.executeUpdate();
                c.commit();
                return n;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static void bypassGuard(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET LOCAL session_replication_role = replica");
        }
    }

    private Map<String, String> hashes(DataSource db, String user, Region region) throws SQLException {
        Map<String, String> out = new HashMap<>();
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false); // a cursor needs a transaction
            try (PreparedStatement ps = c.prepareStatement("SELECT " + keyText + ", " + rowHash + " FROM " + table.table()
                    + " WHERE " + table.userColumn() + " = ? AND " + table.regionColumn() + " = ?")) {
                ps.setFetchSize(BATCH * 10);
                ps.setObject(1, user, Types.OTHER);
                ps.setString(2, region.id());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getString(2));
                    }
                }
            } finally {
                c.rollback();
            }
        }
        return out;
    }

    private long delete(Connection out, String user, Region region, List<String> keys) throws SQLException {
        try (PreparedStatement ps = out.prepareStatement("DELETE FROM " + table.table() + " WHERE " + table.userColumn()
                + " = ? AND " + table.regionColumn() + " = ? AND " + keyText + " = ANY (?)")) {
            ps.setObject(1, user, Types.OTHER);
            ps.setString(2, region.id());
            Array array = out.createArrayOf("text", keys.toArray());
            ps.setArray(3, array);
            return ps.executeUpdate();
        }
    }

    private void copy(Connection in, Connection out, String user, Region from, Region to, List<String> keys) throws SQLException {
        try (PreparedStatement read = in.prepareStatement("SELECT " + keyText + ", " + cols + " FROM " + table.table() + " WHERE "
                + table.userColumn() + " = ? AND " + table.regionColumn() + " = ? AND " + keyText + " = ANY (?)")) {
            read.setObject(1, user, Types.OTHER);
            read.setString(2, from.id());
            read.setArray(3, in.createArrayOf("text", keys.toArray()));
            write(read, out, to, null);
        }
    }

    /** Many rows changed: one pass over the user's rows, filtered here rather than by a long array in SQL. */
    private void copyAll(Connection in, Connection out, String user, Region from, Region to, Set<String> keys) throws SQLException {
        boolean autoCommit = in.getAutoCommit();
        in.setAutoCommit(false); // a cursor needs a transaction
        try (PreparedStatement read = in.prepareStatement("SELECT " + keyText + ", " + cols + " FROM " + table.table() + " WHERE "
                + table.userColumn() + " = ? AND " + table.regionColumn() + " = ?")) {
            read.setFetchSize(BATCH * 10);
            read.setObject(1, user, Types.OTHER);
            read.setString(2, from.id());
            write(read, out, to, keys);
        } finally {
            in.rollback();
            in.setAutoCommit(autoCommit);
        }
    }

    private void write(PreparedStatement read, Connection out, Region to, Set<String> only) throws SQLException {
        List<String> columns = table.columns();
        StringJoiner marks = new StringJoiner(", ");
        columns.forEach(c -> marks.add("?"));
        StringJoiner conflict = new StringJoiner(", ");
        table.key().forEach(conflict::add);
        conflict.add(table.regionColumn());
        List<String> values = new ArrayList<>();
        for (String c : columns) {
            if (!table.key().contains(c)) {
                values.add(c + " = EXCLUDED." + c);
            }
        }
        String upsert = "INSERT INTO " + table.table() + " (" + cols + ", " + table.regionColumn() + ") VALUES (" + marks + ", ?)"
                + " ON CONFLICT (" + conflict + ") DO " + (values.isEmpty() ? "NOTHING" : "UPDATE SET " + String.join(", ", values));
        try (PreparedStatement write = out.prepareStatement(upsert); ResultSet rs = read.executeQuery()) {
            int batched = 0;
            while (rs.next()) {
                if (only != null && !only.contains(rs.getString(1))) {
                    continue;
                }
                for (int i = 1; i <= columns.size(); i++) {
                    write.setObject(i, rs.getObject(i + 1));
                }
                write.setString(columns.size() + 1, to.id());
                write.addBatch();
                if (++batched % BATCH == 0) {
                    write.executeBatch();
                }
            }
            write.executeBatch();
        }
    }
}
