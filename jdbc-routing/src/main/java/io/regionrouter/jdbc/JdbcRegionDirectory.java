package io.regionrouter.jdbc;

import io.regionrouter.core.DirectoryEntry;
import io.regionrouter.core.DirectoryLookupException;
import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionDirectory;
import io.regionrouter.core.Topology;
import io.regionrouter.core.VersionedRegionDirectory;
import io.regionrouter.core.support.Bounds;
import io.regionrouter.core.support.Sql;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * A {@link RegionDirectory} kept in a table of the global, replicated schema:
 * {@code region_directory (user_id text PRIMARY KEY, region text NOT NULL, epoch bigint NOT NULL,
 * updated_at timestamptz NOT NULL)}.
 *
 * <p>Lookups read the local region's copy, falling back to the next lookup source when it cannot be
 * reached; {@link #assign(String, Region)} writes to the primary region with an upsert, and
 * replication carries it to the others. Replicate the table as GLOBAL data with
 * {@code ReplicationPlan.builder().global(directory.table())}: every region then answers lookups from
 * its own copy, also while the primary region is down; assignments fail closed meanwhile.
 *
 * <p><b>Epochs and notifications.</b> Every assignment raises the user's {@code epoch} (1 for a new
 * user), and lookups answer with it ({@link VersionedRegionDirectory}), so a cache never replaces a
 * newer answer with the older one of a lagging copy. {@link #createTable(DataSource)} also installs a
 * trigger that sends {@code NOTIFY <channel>, '<epoch>:<region>:<user>'} for every row written. It is
 * enabled {@code ALWAYS}, so it fires in every region's copy when replication applies the row:
 * {@link DirectoryInvalidations} listening to the local copy hears of an assignment when that copy
 * has it. Wrap the directory in core's {@link io.regionrouter.core.CachingRegionDirectory}:
 *
 * <pre>{@code
 * JdbcRegionDirectory table = JdbcRegionDirectory.builder(topology)
 *     .lookups(localDirectoryDataSource)
 *     .assignments(primaryDirectoryDataSource)
 *     .build();
 * CachingRegionDirectory directory = CachingRegionDirectory.builder(table).build();
 * }</pre>
 *
 * <p>The directory table is global data: it carries no row-level security and may be read through
 * any region's connection. Thread-safe.
 */
public final class JdbcRegionDirectory implements VersionedRegionDirectory {

    /** Default table name: {@value}. */
    public static final String DEFAULT_TABLE = "region_directory";
    /** Default query timeout: 2 s. */
    public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(2);

    private final Topology topology;
    private final List<DataSource> lookups;
    private final DataSource assignments;
    private final String table;
    /** The longest {@code queryTimeout}: 10 min. */
    public static final Duration MAX_QUERY_TIMEOUT = Duration.ofMinutes(10);

    private final int queryTimeoutSeconds;

    private JdbcRegionDirectory(Builder b) {
        this.topology = b.topology;
        this.lookups = List.copyOf(b.lookups);
        this.assignments = b.assignments;
        this.table = b.table;
        this.queryTimeoutSeconds = (int) Math.max(1, (b.queryTimeout.toMillis() + 999) / 1000);
    }

    /**
     * Starts a builder.
     *
     * @param topology the topology; regions read from the table must belong to it
     * @return a new builder
     */
    public static Builder builder(Topology topology) {
        return new Builder(Objects.requireNonNull(topology, "topology must not be null"));
    }

    /** The DDL of the directory table; safe to run again. */
    public String createTableStatement() {
        return "CREATE TABLE IF NOT EXISTS " + table + " (user_id text PRIMARY KEY, region text NOT NULL,"
                + " epoch bigint NOT NULL DEFAULT 1, updated_at timestamptz NOT NULL DEFAULT now())";
    }

    /** The table name, possibly schema-qualified. */
    public String table() {
        return table;
    }

    /** The notification channel: the table's name without its schema. */
    public String channel() {
        return Sql.tablePart(table);
    }

    /** The topology whose regions the table may name. */
    public Topology topology() {
        return topology;
    }

    /**
     * Every statement {@link #createTable(DataSource)} runs, in order: the table, the epoch column of a
     * table created by an older version, and the notification trigger (enabled {@code ALWAYS}, so it
     * also fires when logical replication applies a row). Each can run again.
     *
     * @return the statements
     */
    public List<String> ddl() {
        String function = table + "_notify";
        String trigger = channel() + "_notify";
        return List.of(createTableStatement(),
                "ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS epoch bigint NOT NULL DEFAULT 1",
                "CREATE OR REPLACE FUNCTION " + function + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                        + " PERFORM pg_notify(" + Sql.literal(channel()) + ", NEW.epoch || ':' || NEW.region || ':' || NEW.user_id);"
                        + " RETURN NULL; END $$",
                "DROP TRIGGER IF EXISTS " + trigger + " ON " + table,
                "CREATE TRIGGER " + trigger + " AFTER INSERT OR UPDATE ON " + table + " FOR EACH ROW EXECUTE FUNCTION "
                        + function + "()",
                "ALTER TABLE " + table + " ENABLE ALWAYS TRIGGER " + trigger);
    }

    /**
     * Creates the table and its notification trigger if they are missing. Run it in every region's
     * database before replication is set up.
     *
     * @param dataSource a data source of a role that may create them
     * @throws SQLException if a statement fails; nothing is applied then
     */
    public void createTable(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                for (String sql : ddl()) {
                    s.execute(sql);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
    }

    /**
     * Looks the user up in the first lookup source that answers.
     *
     * @throws DirectoryLookupException if no lookup source could answer
     */
    @Override
    public Optional<DirectoryEntry> lookupEntry(String userId) {
        Objects.requireNonNull(userId, "userId must not be null");
        SQLException last = null;
        for (DataSource source : lookups) {
            try (Connection c = source.getConnection();
                    PreparedStatement ps = c.prepareStatement("SELECT region, epoch FROM " + table + " WHERE user_id = ?")) {
                ps.setQueryTimeout(queryTimeoutSeconds);
                ps.setString(1, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new DirectoryEntry(toRegion(userId, rs.getString(1)), rs.getLong(2)))
                            : Optional.empty();
                }
            } catch (SQLException e) {
                if (last != null) {
                    e.addSuppressed(last);
                }
                last = e;
            }
        }
        throw new DirectoryLookupException(userId, last);
    }

    /**
     * Looks up many users with one query. Users without a row are absent from the result.
     *
     * @throws DirectoryLookupException if no lookup source could answer
     */
    @Override
    public Map<String, DirectoryEntry> lookupAllEntries(Collection<String> userIds) {
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(userIds));
        Map<String, DirectoryEntry> result = new HashMap<>();
        if (ids.isEmpty()) {
            return result;
        }
        SQLException last = null;
        for (DataSource source : lookups) {
            try (Connection c = source.getConnection();
                    PreparedStatement ps = c.prepareStatement(
                            "SELECT user_id, region, epoch FROM " + table + " WHERE user_id = ANY (?)")) {
                ps.setQueryTimeout(queryTimeoutSeconds);
                Array array = c.createArrayOf("text", ids.toArray());
                ps.setArray(1, array);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String user = rs.getString(1);
                        result.put(user, new DirectoryEntry(toRegion(user, rs.getString(2)), rs.getLong(3)));
                    }
                }
                return result;
            } catch (SQLException e) {
                if (last != null) {
                    e.addSuppressed(last);
                }
                last = e;
                result.clear();
            }
        }
        throw new DirectoryLookupException(ids, last);
    }

    /**
     * Sets a user's home region in the primary region's table (insert or update) and raises the
     * user's epoch. Instances running {@link DirectoryInvalidations} learn of it once their region's
     * copy has it; other regions see the change once replication has carried it.
     *
     * @param userId the user
     * @param region a region of the topology
     * @return the user's new epoch: 1 for a new user, one more than before otherwise
     * @throws SQLTransientConnectionException if the primary region cannot be reached: assignments
     *     fail closed, they are never written to another region's copy
     * @throws SQLException if the write fails otherwise
     */
    public long assign(String userId, Region region) throws SQLException {
        checkAssignment(userId, region);
        return write(userId, region, "INSERT INTO " + table + " AS d (user_id, region, epoch, updated_at)"
                + " VALUES (?, ?, 1, now()) ON CONFLICT (user_id) DO UPDATE"
                + " SET region = EXCLUDED.region, epoch = d.epoch + 1, updated_at = EXCLUDED.updated_at RETURNING epoch", null)
                .orElseThrow();
    }

    /**
     * Moves a user to {@code region} only if the user's epoch at the primary is still
     * {@code expectedEpoch}; the compare-and-set of a migration's flip.
     *
     * @param userId a user with a row
     * @param expectedEpoch the epoch the caller read
     * @param region a region of the topology
     * @return the new epoch, or empty if the user's epoch was no longer {@code expectedEpoch} (or the user has no row)
     * @throws SQLTransientConnectionException if the primary region cannot be reached
     * @throws SQLException if the write fails otherwise
     */
    public OptionalLong compareAndAssign(String userId, long expectedEpoch, Region region) throws SQLException {
        checkAssignment(userId, region);
        return write(userId, region, "UPDATE " + table + " SET region = ?, epoch = epoch + 1, updated_at = now()"
                + " WHERE user_id = ? AND epoch = ? RETURNING epoch", expectedEpoch);
    }

    private void checkAssignment(String userId, Region region) {
        Objects.requireNonNull(userId, "userId must not be null");
        Objects.requireNonNull(region, "region must not be null");
        if (userId.isBlank()) {
            throw new IllegalArgumentException("userId must not be blank, but was \"" + userId + "\"");
        }
        if (!topology.contains(region)) {
            throw new IllegalArgumentException("region must be one of " + topology.regions() + ", but was " + region);
        }
    }

    private OptionalLong write(String userId, Region region, String sql, Long expectedEpoch) throws SQLException {
        Connection c;
        try {
            c = assignments.getConnection();
        } catch (SQLException e) {
            throw failClosed(userId, e);
        }
        try (c; PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setQueryTimeout(queryTimeoutSeconds);
            if (expectedEpoch == null) {
                ps.setString(1, userId);
                ps.setString(2, region.id());
            } else {
                ps.setString(1, region.id());
                ps.setString(2, userId);
                ps.setLong(3, expectedEpoch);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
                throw failClosed(userId, e);
            }
            throw e;
        }
    }

    private SQLTransientConnectionException failClosed(String userId, SQLException cause) {
        return new SQLTransientConnectionException("the region directory's primary region " + topology.primary()
                + " could not be reached to assign user " + Bounds.truncate(userId) + "; assignments fail closed until it is"
                + " back (lookups keep reading the local copy)", "08001", cause);
    }

    private Region toRegion(String userId, String id) throws SQLException {
        Region region;
        try {
            region = Region.of(id);
        } catch (RuntimeException e) {
            throw new SQLException(table + " holds an invalid region for user " + userId + ": " + e.getMessage(), e);
        }
        if (!topology.contains(region)) {
            throw new SQLException(table + " maps user " + userId + " to region " + region
                    + ", which is not in the topology " + topology.regions());
        }
        return region;
    }

    @Override
    public String toString() {
        return "JdbcRegionDirectory[table=" + table + ", lookupSources=" + lookups.size() + "]";
    }

    /** Builder of {@link JdbcRegionDirectory}. */
    public static final class Builder {
        private final Topology topology;
        private final List<DataSource> lookups = new ArrayList<>();
        private DataSource assignments;
        private String table = DEFAULT_TABLE;
        private Duration queryTimeout = DEFAULT_QUERY_TIMEOUT;

        private Builder(Topology topology) {
            this.topology = topology;
        }

        /**
         * Sets where lookups read, nearest first: normally the local region's database, then others
         * as fallbacks. Required.
         *
         * @param nearestFirst one or more data sources
         * @return this builder
         */
        public Builder lookups(DataSource... nearestFirst) {
            lookups.clear();
            for (DataSource ds : nearestFirst) {
                lookups.add(Objects.requireNonNull(ds, "lookups must not contain null"));
            }
            return this;
        }

        /**
         * Derives the sources from one data source per region: lookups read the local region, then
         * the others by the local region's proximity; assignments write to the primary.
         *
         * @param byRegion a data source for every region of the topology
         * @return this builder
         */
        public Builder dataSources(Map<Region, ? extends DataSource> byRegion) {
            for (Region r : topology.regions()) {
                if (byRegion.get(r) == null) {
                    throw new InvalidConfigurationException("dataSources", r,
                            "dataSources must hold every region of the topology, but " + r + " is missing");
                }
            }
            lookups.clear();
            lookups.add(byRegion.get(topology.local()));
            topology.proximity(topology.local()).forEach(r -> lookups.add(byRegion.get(r)));
            assignments = byRegion.get(topology.primary());
            return this;
        }

        /**
         * Sets where {@link #assign(String, Region)} writes: the primary region's database. Required.
         *
         * @param primary the primary's data source
         * @return this builder
         */
        public Builder assignments(DataSource primary) {
            this.assignments = Objects.requireNonNull(primary, "assignments must not be null");
            return this;
        }

        /**
         * Sets the table name. Default {@value #DEFAULT_TABLE}.
         *
         * @param table {@code name} or {@code schema.name}, lower-case
         * @return this builder
         */
        public Builder table(String table) {
            this.table = Sql.qualifiedName("table", table, Sql.MAX_IDENTIFIER_LENGTH);
            return this;
        }

        /**
         * Sets the query timeout (rounded up to whole seconds by JDBC). Default 2 s.
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder queryTimeout(Duration timeout) {
            this.queryTimeout = Bounds.duration("queryTimeout", timeout, Duration.ofMillis(1), MAX_QUERY_TIMEOUT);
            return this;
        }

        /**
         * Builds the directory.
         *
         * @return the directory
         * @throws InvalidConfigurationException if lookups or assignments are missing
         */
        public JdbcRegionDirectory build() {
            if (lookups.isEmpty()) {
                throw new InvalidConfigurationException("lookups", null, "lookups must name at least one data source, but none was set");
            }
            if (assignments == null) {
                throw new InvalidConfigurationException("assignments", null, "assignments must be set, but was null");
            }
            return new JdbcRegionDirectory(this);
        }
    }
}
