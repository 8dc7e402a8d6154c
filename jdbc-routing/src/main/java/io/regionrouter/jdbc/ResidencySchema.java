package io.regionrouter.jdbc;

import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Region;
import io.regionrouter.core.Topology;
import io.regionrouter.core.support.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * DDL that makes PostgreSQL enforce data residency for one table, in each region's database with
 * that database's own rule:
 *
 * <ul>
 *   <li>the table is partitioned {@code BY LIST (region)}, one partition per region of the topology,
 *       each with its own {@code CHECK (region = '<region>')} constraint;</li>
 *   <li>row-level security is enabled and forced, with a policy whose condition is a constant:
 *       the home regions whose rows this database's region may hold, for example
 *       {@code region IN ('eu')} in eu's database. No statement the application role can run,
 *       {@code SET} included, changes it: a session setting plays no part in it, so nothing a session
 *       does can store or read a row outside that set;</li>
 *   <li>the application role is granted {@code SELECT, INSERT, UPDATE, DELETE} on the parent table
 *       only, so it cannot reach the partitions directly.</li>
 * </ul>
 *
 * <p>The pools still bind {@code app.user_region} per connection for the application's own use
 * (column defaults, logging); it is a convenience, never the rule.
 *
 * <p><b>Roles.</b> PostgreSQL skips row-level security for superusers and for roles with
 * {@code BYPASSRLS}, and for the table's owner unless {@code FORCE ROW LEVEL SECURITY} is set (it is
 * here; but an owner may turn it off again). The application must connect as an ordinary role that
 * is neither the owner, nor a member of the owner, nor a superuser. {@link #apply(DataSource, Region)}
 * therefore requires the {@link Builder#appRole application role} and refuses to run when the
 * application role is a superuser or may bypass row-level security, when it is the role running
 * {@code apply} or a member of it (the role running {@code apply} becomes the owner), or when the
 * table already exists and the application role is or belongs to its owner. Run {@code apply} as a
 * migration role, and {@link #audit(DataSource, String, Region)} as a superuser or a
 * {@code BYPASSRLS} role, which are the only ones that can see misplaced rows.
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
    private final String appRole;

    private ResidencySchema(Builder b) {
        this.topology = b.topology;
        this.table = b.table;
        this.columns = new LinkedHashMap<>(b.columns);
        this.primaryKey = List.copyOf(b.primaryKey);
        this.regionColumn = b.regionColumn;
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

    /** The declared columns (name to type), in declaration order, without the region column. */
    public Map<String, String> columns() {
        return Collections.unmodifiableMap(columns);
    }

    /** The declared primary key columns, without the region column; empty if none was declared. */
    public List<String> primaryKey() {
        return primaryKey.stream().filter(c -> !c.equals(regionColumn)).toList();
    }

    /** The region column. */
    public String regionColumn() {
        return regionColumn;
    }

    /**
     * The DDL statements for the database of one region, in order. Each can be run again: tables
     * are created if missing and the policy is replaced.
     *
     * @param databaseRegion the region whose database the statements are for; its rule is built in
     * @return the statements, without trailing semicolons
     * @throws IllegalArgumentException if the region is not in the topology
     */
    public List<String> statements(Region databaseRegion) {
        requireRegion(databaseRegion);
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
        String predicate = policyPredicate(databaseRegion);
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

    /**
     * The statements for one region's database joined into one script, each ending with a semicolon.
     *
     * @param databaseRegion the region whose database the script is for
     * @return the script
     */
    public String script(Region databaseRegion) {
        return String.join(";\n", statements(databaseRegion)) + ";\n";
    }

    /** The name of the row-level security policy: {@code <table>_residency}. */
    public String policyName() {
        return Sql.tablePart(table) + "_residency";
    }

    /**
     * The policy's condition in one region's database: the row's home region is one whose residency
     * rules allow this database's region. A constant, so no session can change it.
     */
    String policyPredicate(Region databaseRegion) {
        StringJoiner homes = new StringJoiner(", ", regionColumn + " IN (", ")");
        for (Region home : topology.regions()) {
            if (topology.isAllowed(home, databaseRegion)) {
                homes.add(Sql.literal(home.id()));
            }
        }
        return homes.toString();
    }

    /**
     * Runs {@link #statements(Region)} in one transaction on one region's database. Run it as the
     * role that should own the table (a migration role), never as the application role.
     *
     * @param dataSource a data source of the owner (migration) role on {@code databaseRegion}'s database
     * @param databaseRegion the region of that database
     * @throws SQLException if a statement fails; nothing is applied then
     * @throws IllegalStateException if no application role is set; if the application role is a
     *     superuser or may bypass row-level security; if it is, or is a member of, the role running
     *     {@code apply} or the existing table's owner
     */
    public void apply(DataSource dataSource, Region databaseRegion) throws SQLException {
        requireRegion(databaseRegion);
        if (appRole == null) {
            throw new IllegalStateException("ResidencySchema.apply needs appRole, so it can check that the application"
                    + " role will not own " + table + " and cannot turn its row-level security off; set"
                    + " ResidencySchema.builder(...).appRole(role)");
        }
        try (Connection connection = dataSource.getConnection()) {
            checkAppRole(connection);
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                for (String sql : statements(databaseRegion)) {
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
        // the role running apply becomes the owner; an owner (or a member of one) can turn forced RLS off
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT current_user, pg_has_role(?, current_user, 'MEMBER'),"
                        + " (SELECT pg_get_userbyid(c.relowner) FROM pg_class c WHERE c.oid = to_regclass(?)),"
                        + " (SELECT pg_has_role(?, c.relowner, 'MEMBER') FROM pg_class c WHERE c.oid = to_regclass(?))")) {
            ps.setString(1, appRole);
            ps.setString(2, table);
            ps.setString(3, appRole);
            ps.setString(4, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getBoolean(2)) {
                    throw new IllegalStateException("ResidencySchema.apply must not run as the application role " + appRole
                            + " or a role it belongs to (it runs as " + rs.getString(1) + "): that role would own "
                            + table + " and could turn its row-level security off; run apply as a migration role");
                }
                String owner = rs.getString(3);
                if (owner != null && rs.getBoolean(4)) {
                    throw new IllegalStateException("the application role " + appRole + " is, or belongs to, " + owner
                            + ", the owner of " + table + ", and could turn its row-level security off; make a"
                            + " migration role the owner (ALTER TABLE " + table + " OWNER TO ...)");
                }
            }
        }
    }

    private void requireRegion(Region databaseRegion) {
        Objects.requireNonNull(databaseRegion, "databaseRegion must not be null");
        if (!topology.contains(databaseRegion)) {
            throw new IllegalArgumentException("databaseRegion must be one of " + topology.regions() + ", but was "
                    + databaseRegion);
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
        requireRegion(databaseRegion);
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
                + ", appRole=" + appRole + "]";
    }

    /** Builder of {@link ResidencySchema}. Every name is validated; nothing unvalidated reaches the SQL. */
    public static final class Builder {
        private final Topology topology;
        private String table;
        private final Map<String, String> columns = new LinkedHashMap<>();
        private final List<String> primaryKey = new ArrayList<>();
        private String regionColumn = DEFAULT_REGION_COLUMN;
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
         * Sets the role the application connects as; it is granted DML on the table. Required by
         * {@link ResidencySchema#apply(DataSource, Region)}, which checks it.
         *
         * @param role a lower-case identifier; must be neither the owner nor a superuser, and not
         *     {@code public} (that would grant the table to every role)
         * @return this builder
         */
        public Builder appRole(String role) {
            String checked = Sql.identifier("appRole", role, Sql.MAX_IDENTIFIER_LENGTH);
            if (checked.equals("public")) {
                throw new InvalidConfigurationException("appRole", role, "appRole must name one role, not public"
                        + " (which would grant the table to every role), but was public");
            }
            this.appRole = checked;
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
