package io.regionrouter.jdbc.replication.internal;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Catalog reads and small statements on one PostgreSQL connection. Stateless. */
public final class Catalog {

    /** What a table's replica identity covers. */
    public record TableInfo(String name, char kind, char replicaIdentity, List<String> identityColumns,
            List<String> columns, List<String> leafPartitions) {

        /** Whether UPDATE and DELETE can be published at all. */
        public boolean hasReplicaIdentity() {
            return replicaIdentity == 'f' || !identityColumns.isEmpty();
        }

        /** Whether the replica identity includes the column (FULL includes every column). */
        public boolean identityCovers(String column) {
            return replicaIdentity == 'f' || identityColumns.contains(column);
        }
    }

    /** A subscription as the subscriber's catalog shows it. */
    public record ExistingSubscription(String name, boolean enabled, List<String> publications) {
    }

    private Catalog() {
    }

    /** Runs a statement in auto-commit mode. */
    public static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Returns the first column of the first row as a string, or null. */
    public static String queryString(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** Quotes an identifier read from the catalog, so that it can go into SQL text whatever it holds. */
    public static String quoteIdent(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /**
     * Describes a table, or returns empty when it does not exist.
     *
     * @param c the connection
     * @param table a validated, possibly schema-qualified name
     * @return the description
     */
    public static Optional<TableInfo> table(Connection c, String table) throws SQLException {
        String sql = "SELECT c.oid, c.relkind, c.relreplident FROM pg_class c WHERE c.oid = to_regclass(?)";
        long oid;
        char kind;
        char identity;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                oid = rs.getLong(1);
                kind = rs.getString(2).charAt(0);
                identity = rs.getString(3).charAt(0);
            }
        }
        List<String> leaves = new ArrayList<>();
        if (kind == 'p') {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT relid::regclass::text FROM pg_partition_tree(?::oid) WHERE isleaf ORDER BY 1")) {
                ps.setLong(1, oid);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        leaves.add(rs.getString(1));
                    }
                }
            }
        }
        return Optional.of(new TableInfo(table, kind, identity, identityColumns(c, oid, identity), columns(c, oid), leaves));
    }

    private static List<String> identityColumns(Connection c, long oid, char identity) throws SQLException {
        if (identity != 'd' && identity != 'i') {
            return List.of();
        }
        String sql = "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)"
                + " WHERE i.indrelid = ? AND " + (identity == 'd' ? "i.indisprimary" : "i.indisreplident") + " ORDER BY a.attnum";
        return strings(c, sql, oid);
    }

    private static List<String> columns(Connection c, long oid) throws SQLException {
        return strings(c, "SELECT attname FROM pg_attribute WHERE attrelid = ? AND attnum > 0 AND NOT attisdropped ORDER BY attnum", oid);
    }

    private static List<String> strings(Connection c, String sql, long oid) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** The names of the publications of the current database whose name starts with {@code prefix_}. */
    public static List<String> publications(Connection c, String prefix) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pubname FROM pg_publication ORDER BY 1")) {
            while (rs.next()) {
                if (rs.getString(1).startsWith(prefix + "_")) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** The subscriptions of the current database whose name starts with {@code prefix_}, by name. */
    public static Map<String, ExistingSubscription> subscriptions(Connection c, String prefix) throws SQLException {
        Map<String, ExistingSubscription> out = new LinkedHashMap<>();
        String sql = "SELECT subname, subenabled, subpublications FROM pg_subscription"
                + " WHERE subdbid = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY 1";
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                String name = rs.getString(1);
                if (name.startsWith(prefix + "_")) {
                    Array pubs = rs.getArray(3);
                    List<String> list = Arrays.asList((String[]) pubs.getArray());
                    out.put(name, new ExistingSubscription(name, rs.getBoolean(2), List.copyOf(list)));
                }
            }
        }
        return out;
    }

    /**
     * Drops an inactive logical slot of this name in the connection's database, if there is one;
     * returns whether one was dropped. Slots are cluster-wide: another database's slot of the same
     * name is never touched.
     */
    public static boolean dropInactiveSlot(Connection c, String slot) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                + " WHERE slot_name = ? AND slot_type = 'logical' AND NOT active AND database = current_database()")) {
            ps.setString(1, slot);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The names of the logical slots of the connection's database that are among {@code names}. */
    public static List<String> logicalSlots(Connection c, Set<String> names) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT slot_name FROM pg_replication_slots WHERE slot_type = 'logical'"
                        + " AND database = current_database() ORDER BY 1")) {
            while (rs.next()) {
                if (names.contains(rs.getString(1))) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
