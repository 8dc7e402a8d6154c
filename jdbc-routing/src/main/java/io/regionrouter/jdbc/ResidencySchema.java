package io.regionrouter.jdbc;

import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Region;
import io.regionrouter.core.Topology;
import io.regionrouter.jdbc.internal.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * DDL that makes PostgreSQL enforce data residency for one table, the same in every region's
 * database:
 *
 * <ul>
 *   <li>the table is partitioned {@code BY LIST (region)}, one partition per region of the topology,
 *       each with its own {@code CHECK (region = '<region>')} constraint;</li>
 *   <li>row-level security is enabled and forced, with a policy that admits a row only when its
 *       region may be stored in the database the session is bound to, read from
 *       {@code current_setting('app.user_region', true)}; a session without the setting sees no rows
 *       and can write none;</li>
 *   <li>the application role is granted {@code SELECT, INSERT, UPDATE, DELETE} on the parent table
 *       only, so it cannot reach the partitions directly.</li>
 * </ul>
 *
 * <p><b>Roles.</b> PostgreSQL skips row-level security for superusers and for roles with
 * {@code BYPASSRLS}, and for the table's owner unless {@code FORCE ROW LEVEL SECURITY} is set (it is
 * here). The application must connect as an ordinary role that is neither the owner nor a
 * superuser; {@link #apply(DataSource)} refuses an application role that is a superuser or may
 * bypass row-level security. Run {@code apply} as the owner (a migration role), and
 * {@link #audit(DataSource, String, Region)} as a superuser or a {@code BYPASSRLS} role, which are the
 * only ones that can see misplaced rows.
 *
 * <p>Immutable and thread-safe.
 */
public final class ResidencySchema {

    /** Default name of the region column: {@value}. */
    public static final String DEFAULT_REGION_COLUMN = "region";
    /** Longest table name: partition names append the region id, which may be 32 characters. */
    public static final int MAX_TABLE_NAME_LENGTH = 30;

    private final Topology topology;
    private final String table;
    private final Map<String, String> columns;
    private final List<String> primaryKey;
    private final String regionColumn;
    private final String sessionSetting;
    private final String appRole;

    private ResidencySchema(Builder b) {
        this.topology = b.topology;
        this.table = b.table;
        this.columns = new LinkedHashMap<>(b.columns);
        this.primaryKey = List.copyOf(b.primaryKey);
        this.regionColumn = b.regionColumn;
        this.sessionSetting = b.sessionSetting;
        this.appRole = b.appRole;
    }

    /**
     * Starts a builder.
     *
     * @param topology the topology whose regions and residency rules the DDL encodes
     * @return a new builder
     */
    public static Builder builder(Topology topology) {
        return new Builder(Objects.requireNonNull(topology, "topology must not be null"));
    }

    /** The table name, possibly schema-qualified. */
    public String table() {
        return table;
    }

    /**
     * The DDL statements, in order. Each can be run again: tables are created if missing and the
     * policy is replaced.
     *
     * @return the statements, without trailing semicolons
     */
    public List<String> statements() {
        List<String> ddl = new ArrayList<>();
        StringJoiner body = new StringJoiner(",\n    ", "CREATE TABLE IF NOT EXISTS " + table + " (\n    ",
                "\n) PARTITION BY LIST (" + regionColumn + ")");
        columns.forEach((name, type) -> body.add(name + " " + type));
        body.add(regionColumn + " text NOT NULL");
        if (!primaryKey.isEmpty()) {
            List<String> key = new ArrayList<>(primaryKey);
            if (!key.contains(regionColumn)) {
                key.add(regionColumn);
            }
            body.add("PRIMARY KEY (" + String.join(", ", key) + ")");
        }
        ddl.add(body.toString());
        String schemaPrefix = table.contains(".") ? table.substring(0, table.indexOf('.') + 1) : "";
        String base = Sql.tablePart(table);
        for (Region region : topology.regions()) {
            String partition = base + "_" + Sql.regionSuffix(region.id());
            ddl.add("CREATE TABLE IF NOT EXISTS " + schemaPrefix + partition + " PARTITION OF " + table
                    + " (CONSTRAINT " + partition + "_region_check CHECK (" + regionColumn + " = "
                    + Sql.literal(region.id()) + ")) FOR VALUES IN (" + Sql.literal(region.id()) + ")");
        }
        ddl.add("ALTER TABLE " + table + " ENABLE ROW LEVEL SECURITY");
        ddl.add("ALTER TABLE " + table + " FORCE ROW LEVEL SECURITY");
        String policy = policyName();
        ddl.add("DROP POLICY IF EXISTS " + policy + " ON " + table);
        String predicate = policyPredicate();
        ddl.add("CREATE POLICY " + policy + " ON " + table + " USING (" + predicate + ") WITH CHECK (" + predicate + ")");
        if (appRole != null) {
            ddl.add("GRANT SELECT, INSERT, UPDATE, DELETE ON " + table + " TO " + appRole);
            for (Region region : topology.regions()) {
                // default privileges may have granted the partitions too; RLS guards only the parent
                ddl.add("REVOKE ALL ON " + schemaPrefix + base + "_" + Sql.regionSuffix(region.id()) + " FROM " + appRole);
            }
        }
        return List.copyOf(ddl);
    }

    /** The statements joined into one script, each ending with a semicolon. */
    public String script() {
        return String.join(";\n", statements()) + ";\n";
    }

    /** The name of the row-level security policy: {@code <table>_residency}. */
    public String policyName() {
        return Sql.tablePart(table) + "_residency";
    }

    /**
     * The policy's condition: the row's region equals the session's region, or the row's home
     * region allows the session's region by the topology's residency rules.
     */
    String policyPredicate() {
        String session = "current_setting(" + Sql.literal(sessionSetting) + ", true)";
        StringBuilder sb = new StringBuilder(regionColumn).append(" = ").append(session);
        for (Region home : topology.regions()) {
            for (Region other : topology.allowedRegions(home)) {
                if (!other.equals(home)) {
                    sb.append(" OR (").append(regionColumn).append(" = ").append(Sql.literal(home.id()))
                            .append(" AND ").append(session).append(" = ").append(Sql.literal(other.id())).append(')');
                }
            }
        }
        return sb.toString();
    }

    /**
     * Runs {@link #statements()} in one transaction. Run it as the role that should own the table,
     * never as the application role.
     *
     * @param dataSource a data source of the owner (migration) role
     * @throws SQLException if a statement fails; nothing is applied then
     * @throws IllegalStateException if the application role is a superuser or may bypass row-level security
     */
    public void apply(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            if (appRole != null) {
                checkAppRole(connection);
            }
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                for (String sql : statements()) {
                    statement.execute(sql);
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    private void checkAppRole(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = ?")) {
            ps.setString(1, appRole);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("appRole " + appRole + " does not exist in the database");
                }
                if (rs.getBoolean(1) || rs.getBoolean(2)) {
                    throw new IllegalStateException("appRole " + appRole + " must be neither a superuser nor BYPASSRLS,"
                            + " because PostgreSQL skips row-level security for such roles");
                }
            }
        }
    }

    /**
     * Counts the rows of a table stored in a database whose region may not hold them. A row may be
     * stored in the database of region {@code D} when its region is {@code D} or its region's
     * residency rules allow {@code D}.
     *
     * <p>Run it as a superuser or a {@code BYPASSRLS} role: row-level security hides exactly the
     * rows this looks for from everyone else, so the method refuses other roles.
     *
     * @param dataSource a superuser (or BYPASSRLS) data source of the audited database
     * @param table the table; it must have this schema's region column
     * @param databaseRegion the region of the audited database
     * @return the report
     * @throws SQLException if a query fails
     * @throws IllegalStateException if the current role would not see every row
     */
    public ResidencyAudit audit(DataSource dataSource, String table, Region databaseRegion) throws SQLException {
        Sql.qualifiedName("table", table, Sql.MAX_IDENTIFIER_LENGTH);
        Objects.requireNonNull(databaseRegion, "databaseRegion must not be null");
        if (!topology.contains(databaseRegion)) {
            throw new IllegalArgumentException("databaseRegion must be one of " + topology.regions() + ", but was " + databaseRegion);
        }
        StringJoiner permitted = new StringJoiner(", ", "(", ")");
        for (Region home : topology.regions()) {
            if (topology.isAllowed(home, databaseRegion)) {
                permitted.add(Sql.literal(home.id()));
            }
        }
        String sql = "SELECT " + regionColumn + ", count(*) FROM " + table + " WHERE " + regionColumn
                + " NOT IN " + permitted + " OR " + regionColumn + " IS NULL GROUP BY " + regionColumn;
        Map<String, Long> misplaced = new TreeMap<>();
        try (Connection connection = dataSource.getConnection()) {
            try (Statement check = connection.createStatement();
                    ResultSet rs = check.executeQuery(
                            "SELECT rolsuper OR rolbypassrls, current_user FROM pg_roles WHERE rolname = current_user")) {
                boolean seesAll = rs.next() && rs.getBoolean(1);
                if (!seesAll) {
                    throw new IllegalStateException("audit must run as a superuser or a BYPASSRLS role, because row-level"
                            + " security hides misplaced rows from every other role");
                }
            }
            try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
                while (rs.next()) {
                    misplaced.put(String.valueOf(rs.getString(1)), rs.getLong(2));
                }
            }
        }
        return new ResidencyAudit(table, databaseRegion, misplaced);
    }

    /**
     * Audits this schema's table; see {@link #audit(DataSource, String, Region)}.
     *
     * @param dataSource a superuser (or BYPASSRLS) data source of the audited database
     * @param databaseRegion the region of the audited database
     * @return the report
     * @throws SQLException if a query fails
     */
    public ResidencyAudit audit(DataSource dataSource, Region databaseRegion) throws SQLException {
        return audit(dataSource, table, databaseRegion);
    }

    @Override
    public String toString() {
        return "ResidencySchema[table=" + table + ", regions=" + topology.regions() + ", regionColumn=" + regionColumn
                + ", sessionSetting=" + sessionSetting + ", appRole=" + appRole + "]";
    }

    /** Builder of {@link ResidencySchema}. Every name is validated; nothing unvalidated reaches the SQL. */
    public static final class Builder {
        private final Topology topology;
        private String table;
        private final Map<String, String> columns = new LinkedHashMap<>();
        private final List<String> primaryKey = new ArrayList<>();
        private String regionColumn = DEFAULT_REGION_COLUMN;
        private String sessionSetting = RegionalDataSources.DEFAULT_SESSION_SETTING;
        private String appRole;

        private Builder(Topology topology) {
            this.topology = topology;
        }

        /**
         * Sets the table name. Required.
         *
         * @param table {@code name} or {@code schema.name}, lower-case, name at most {@value #MAX_TABLE_NAME_LENGTH} characters
         * @return this builder
         */
        public Builder table(String table) {
            this.table = Sql.qualifiedName("table", table, MAX_TABLE_NAME_LENGTH);
            return this;
        }

        /**
         * Adds a column. The region column is added by the schema itself.
         *
         * @param name a lower-case identifier
         * @param type the type and modifiers, such as {@code bigint NOT NULL}; no quotes, semicolons or comments
         * @return this builder
         */
        public Builder column(String name, String type) {
            Sql.identifier("column", name, Sql.MAX_IDENTIFIER_LENGTH);
            if (columns.containsKey(name)) {
                throw new InvalidConfigurationException("column", name, "column must be declared once, but " + name + " was declared twice");
            }
            columns.put(name, Sql.columnType("column." + name, type));
            return this;
        }

        /**
         * Sets the primary key columns. The region column is appended, because PostgreSQL requires the
         * partition key in every unique constraint of a partitioned table.
         *
         * @param columnNames declared columns
         * @return this builder
         */
        public Builder primaryKey(String... columnNames) {
            primaryKey.clear();
            for (String c : columnNames) {
                primaryKey.add(Sql.identifier("primaryKey", c, Sql.MAX_IDENTIFIER_LENGTH));
            }
            return this;
        }

        /**
         * Sets the region column. Default {@value #DEFAULT_REGION_COLUMN}.
         *
         * @param name a lower-case identifier
         * @return this builder
         */
        public Builder regionColumn(String name) {
            this.regionColumn = Sql.identifier("regionColumn", name, Sql.MAX_IDENTIFIER_LENGTH);
            return this;
        }

        /**
         * Sets the session setting the policy reads; it must match
         * {@link RegionalDataSources.Builder#sessionSetting(String)}. Default {@code app.user_region}.
         *
         * @param name a custom setting name
         * @return this builder
         */
        public Builder sessionSetting(String name) {
            this.sessionSetting = Sql.sessionSetting("sessionSetting", name);
            return this;
        }

        /**
         * Sets the role the application connects as; it is granted DML on the table. Optional.
         *
         * @param role a lower-case identifier; must be neither the owner nor a superuser
         * @return this builder
         */
        public Builder appRole(String role) {
            this.appRole = Sql.identifier("appRole", role, Sql.MAX_IDENTIFIER_LENGTH);
            return this;
        }

        /**
         * Builds the schema.
         *
         * @return the schema
         * @throws InvalidConfigurationException if the table or columns are missing or inconsistent
         */
        public ResidencySchema build() {
            if (table == null) {
                throw new InvalidConfigurationException("table", null, "table must be set, but was null");
            }
            if (columns.isEmpty()) {
                throw new InvalidConfigurationException("column", null, "column must be declared at least once, but none was");
            }
            if (columns.containsKey(regionColumn)) {
                throw new InvalidConfigurationException("column", regionColumn, "column " + regionColumn
                        + " is the region column and is added by the schema; it must not be declared, but was");
            }
            for (String key : primaryKey) {
                if (!columns.containsKey(key) && !key.equals(regionColumn)) {
                    throw new InvalidConfigurationException("primaryKey", key,
                            "primaryKey must name declared columns " + columns.keySet() + ", but was " + key);
                }
            }
            return new ResidencySchema(this);
        }
    }
}
