package io.regionrouter.jdbc;

import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Region;
import io.regionrouter.core.Topology;
import io.regionrouter.core.UserDataMover;
import io.regionrouter.core.UserIds;
import io.regionrouter.core.support.Bounds;
import io.regionrouter.jdbc.internal.MoveRunner;
import io.regionrouter.jdbc.internal.MoveStore;
import io.regionrouter.jdbc.internal.RowSync;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Moves one user's regulated PostgreSQL rows from their home region to another, and the user's
 * home with them, without losing a write or leaving a row in the wrong region.
 *
 * <ol>
 *   <li><b>copy</b> the user's rows of every {@link MovedTable} to the target, by difference, while
 *       the user keeps writing at the source;</li>
 *   <li><b>verify</b>: counts and an MD5 over the rows in key order, both sides, recorded;</li>
 *   <li><b>freeze</b>: the source database refuses the user's writes with SQLSTATE
 *       {@value MoveGuard#SQLSTATE_FROZEN} (retryable) for at most {@link Builder#maxFreeze}; the
 *       freeze waits for the user's writes in flight ({@link MoveGuard});</li>
 *   <li><b>catch up</b>: copy what changed since, then counts and hashes must be equal on both
 *       sides, or the move is rolled back;</li>
 *   <li><b>flip</b> the directory row to the target with a compare-and-set on the user's epoch (and
 *       only while at least {@link Builder#flipMargin} of the freeze is left);</li>
 *   <li>the flip's <b>notification</b> reaches every instance running {@link DirectoryInvalidations};</li>
 *   <li><b>fence</b>: the source database refuses the user's writes for good, with SQLSTATE
 *       {@value MoveGuard#SQLSTATE_MOVED_AWAY}, so an instance that has not followed yet fails
 *       instead of writing to the old region;</li>
 *   <li><b>delete</b> the source's copies once {@link Builder#retention} has passed
 *       ({@link #purgeDue()});</li>
 *   <li>an <b>audit</b> row per step in {@code <directory>_move_audit}.</li>
 * </ol>
 *
 * <p>The state of each move is a row of {@code <directory>_moves} in the primary region's
 * database, next to the directory. A move interrupted at any step (its process killed, say) is
 * continued by {@link #resume(String)} from its last recorded step, or undone by
 * {@link #rollback(String)} while it has not flipped. The user's home after the move must be a
 * region of the topology whose database accepts the user's rows; the residency policy of the
 * target's database ({@link ResidencySchema}) is checked by the database itself on every copied row.
 *
 * <p>Other stores move with the rows: each {@link UserDataMover} added with {@link Builder#mover}
 * (the user's Redis keys, MongoDB documents) is driven through the same steps, after the rows at each
 * step, and shares the move's recorded state, so {@link #resume} and {@link #rollback} cover it too.
 * A mover's failure (an unchecked exception) stops the move where it was, as a database failure does.
 *
 * <p>Data sources: one per region, of a superuser (or the tables' owner with the right to set
 * {@code session_replication_role}); the copies run in sessions where the move guard does not fire.
 * Run {@link #installSchema()} once after the tables exist. One migration per user at a time: a
 * second {@link #move} of a user whose move is not finished is refused. Thread-safe.
 */
public final class RegionMigration {

    /** Default longest freeze of a user's writes: 5 s. */
    public static final Duration DEFAULT_MAX_FREEZE = Duration.ofSeconds(5);
    /** Default least freeze left at the flip: 1 s, for the flip to reach the source's copy of the directory. */
    public static final Duration DEFAULT_FLIP_MARGIN = Duration.ofSeconds(1);
    /** Default time the source's copies are kept after the flip: 1 day. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(1);
    /** Default longest wait for the source's copy of the directory to show the flip: 10 s. */
    public static final Duration DEFAULT_SOURCE_COPY_WAIT = Duration.ofSeconds(10);

    private final JdbcRegionDirectory directory;
    private final Topology topology;
    private final Map<Region, DataSource> admins;
    private final List<MovedTable> tables;
    private final List<RowSync> syncs;
    private final MoveStore store;
    private final MoveRunner runner;
    private final Duration maxFreeze;
    private final Duration flipMargin;
    private final Duration retention;
    private final Duration sourceCopyWait;
    private final String appRole;
    private final MigrationListener listener;
    private final List<UserDataMover> movers;

    private RegionMigration(Builder b) {
        this.directory = b.directory;
        this.topology = b.directory.topology();
        this.admins = Map.copyOf(b.admins);
        this.tables = List.copyOf(b.tables.values());
        this.syncs = tables.stream().map(RowSync::new).toList();
        this.store = new MoveStore(admins.get(topology.primary()), directory.table());
        this.maxFreeze = b.maxFreeze;
        this.flipMargin = b.flipMargin;
        this.retention = b.retention;
        this.sourceCopyWait = b.sourceCopyWait;
        this.appRole = b.appRole;
        this.listener = b.listener;
        this.movers = List.copyOf(b.movers.values());
        this.runner = new MoveRunner(directory.table(), admins, tables, syncs, store, maxFreeze, flipMargin, retention,
                sourceCopyWait, listener, movers);
    }

    /**
     * Starts a builder.
     *
     * @param directory the directory whose rows the moves flip; its table must exist in every region
     * @return a new builder
     */
    public static Builder builder(JdbcRegionDirectory directory) {
        return new Builder(Objects.requireNonNull(directory, "directory must not be null"));
    }

    /**
     * Creates the moves and audit tables in the primary region's database and the {@link MoveGuard}
     * (fence table, check function, one trigger per table) in every region's database. Can run again.
     *
     * @throws SQLException if a statement fails
     */
    public void installSchema() throws SQLException {
        execute(admins.get(topology.primary()), store.ddl());
        for (Region r : topology.regions()) {
            execute(admins.get(r), MoveGuard.statements(r, currentSchema(admins.get(r)), directory.table(), tables, appRole));
        }
    }

    /**
     * Moves a user to {@code target}, through every step up to {@link MoveState#FENCED} (or
     * {@link MoveState#DONE} with a zero retention).
     *
     * @param userId a user with a row in the directory
     * @param target the new home region
     * @return the move's state at the end
     * @throws MoveAbortedException if the move was rolled back (verification failed, the user was
     *     assigned meanwhile, the freeze ran out)
     * @throws IllegalStateException if the user is unknown, already in {@code target}, or has a move in progress
     * @throws SQLException if a database failed; the move can then be resumed or rolled back
     * @throws RuntimeException if a {@link UserDataMover}'s store failed; likewise
     */
    public MoveStatus move(String userId, Region target) throws SQLException {
        UserIds.check("userId", userId);
        Objects.requireNonNull(target, "target must not be null");
        if (!topology.contains(target)) {
            throw new IllegalArgumentException("target must be one of " + topology.regions() + ", but was " + target);
        }
        Object[] home = store.home(userId).orElseThrow(() -> new IllegalStateException("user " + Bounds.truncate(userId)
                + " has no row in " + directory.table() + "; assign the user before moving them"));
        Region source = Region.of((String) home[0]);
        long epoch = (Long) home[1];
        if (source.equals(target)) {
            throw new IllegalStateException("user " + Bounds.truncate(userId) + " already lives in " + target);
        }
        if (!topology.isAllowed(target, target)) {
            throw new IllegalStateException("the residency rules of " + target + " do not allow its own database");
        }
        if (!store.begin(userId, source, target, epoch)) {
            throw new IllegalStateException("user " + Bounds.truncate(userId) + " has a move in progress: "
                    + store.get(userId).map(MoveStatus::state).orElse(null) + "; resume or roll it back first");
        }
        MoveStatus status = store.get(userId).orElseThrow();
        runner.step(status, "planned", "from " + source + " to " + target + " at epoch " + epoch);
        return runner.run(status);
    }

    /**
     * Continues an interrupted move from its last recorded step. A move that was frozen or caught up
     * when it stopped is frozen and caught up again, because its freeze may have run out.
     *
     * @param userId the user
     * @return the move's state at the end
     * @throws IllegalStateException if the user has no recorded move
     * @throws MoveAbortedException if the move had to be rolled back
     * @throws SQLException if a database failed
     */
    public MoveStatus resume(String userId) throws SQLException {
        MoveStatus status = runner.recorded(userId);
        if (status.state() == MoveState.FROZEN || status.state() == MoveState.CAUGHT_UP) {
            store.advance(userId, status.state(), MoveState.VERIFIED);
            status = runner.recorded(userId);
            runner.step(status, "resumed", "the freeze and catch-up are repeated");
        }
        return runner.run(status);
    }

    /**
     * Undoes a move that has not flipped: the target's copies are deleted and the source unfrozen.
     *
     * @param userId the user
     * @return the rolled-back state
     * @throws IllegalStateException if the move has flipped already (moving back is a new move)
     * @throws SQLException if a database failed; roll back again
     */
    public MoveStatus rollback(String userId) throws SQLException {
        MoveStatus status = runner.recorded(userId);
        if (status.state() == MoveState.ROLLED_BACK) {
            return status;
        }
        if (!status.state().beforeFlip()) {
            throw new IllegalStateException("the move of user " + Bounds.truncate(userId) + " has flipped (" + status.state()
                    + "); it can only be resumed, and moving back is a new move");
        }
        return runner.undo(status, "rolled back on request");
    }

    /**
     * Deletes the source's copies of every fenced move whose retention has passed, and checks that
     * none is left.
     *
     * @return the moves finished
     * @throws SQLException if a database failed
     */
    public List<MoveStatus> purgeDue() throws SQLException {
        List<MoveStatus> done = new ArrayList<>();
        for (String user : store.due()) {
            done.add(runner.purge(runner.recorded(user)));
        }
        return done;
    }

    /**
     * The recorded state of the user's last move.
     *
     * @param userId the user
     * @return the state, or empty if the user never moved
     * @throws SQLException if the primary region's database failed
     */
    public Optional<MoveStatus> status(String userId) throws SQLException {
        return store.get(UserIds.check("userId", userId));
    }

    /**
     * The residency audit of one moved table in one region's database, with the rows of users who
     * moved away from that region and whose retention has passed ({@link ResidencyAudit#movedUserRows()}).
     * Run it with this migration's data source of that region (a superuser).
     *
     * @param table one of this migration's tables
     * @param databaseRegion the audited region
     * @return the report
     * @throws SQLException if a query fails
     */
    public ResidencyAudit audit(MovedTable table, Region databaseRegion) throws SQLException {
        int index = tables.indexOf(table);
        if (index < 0) {
            throw new IllegalArgumentException("table must be one of this migration's tables, but was " + table.table());
        }
        ResidencyAudit base = table.schema().audit(admins.get(databaseRegion), databaseRegion);
        Map<String, Long> left = new TreeMap<>();
        Instant now = Instant.now();
        for (MoveStatus move : store.fenced()) {
            boolean overdue = move.state() == MoveState.DONE || (move.retainUntil() != null && !move.retainUntil().isAfter(now));
            if (overdue && move.source().equals(databaseRegion)) {
                long rows = syncs.get(index).digest(admins.get(databaseRegion), move.userId(), databaseRegion).rows();
                if (rows > 0) {
                    left.put(move.userId(), rows);
                }
            }
        }
        return new ResidencyAudit(base.table(), databaseRegion, base.misplacedRows(), left);
    }

    /**
     * The residency audit of the other stores ({@link Builder#mover movers}) in one region: for each
     * user who moved away from that region and whose retention has passed, the keys or documents
     * still there, per store.
     *
     * @param region the audited region
     * @return the report; {@link StoreResidencyAudit#clean()} when nothing was left
     * @throws SQLException if the primary region's database failed
     */
    public StoreResidencyAudit auditStores(Region region) throws SQLException {
        Objects.requireNonNull(region, "region must not be null");
        Map<String, Map<String, Long>> left = new TreeMap<>();
        Instant now = Instant.now();
        io.regionrouter.jdbc.internal.StoreMoves stores = new io.regionrouter.jdbc.internal.StoreMoves(movers);
        for (MoveStatus move : store.fenced()) {
            boolean overdue = move.state() == MoveState.DONE || (move.retainUntil() != null && !move.retainUntil().isAfter(now));
            if (overdue && move.source().equals(region)) {
                stores.left(move.userId(), region).forEach((name, items) ->
                        left.computeIfAbsent(name, k -> new TreeMap<>()).put(move.userId(), items));
            }
        }
        return new StoreResidencyAudit(region, left);
    }

    private static String currentSchema(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery("SELECT current_schema()")) {
            String schema = rs.next() ? rs.getString(1) : null;
            if (schema == null) {
                throw new SQLException("the migration role has no current schema to create the move guard in; set its search_path");
            }
            return schema;
        }
    }

    private static void execute(DataSource ds, List<String> statements) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    @Override
    public String toString() {
        return "RegionMigration[directory=" + directory.table() + ", tables=" + tables.stream().map(MovedTable::table).toList()
                + ", stores=" + movers.stream().map(UserDataMover::name).toList() + ", maxFreeze=" + maxFreeze + ", flipMargin=" + flipMargin + ", retention=" + retention + "]";
    }

    /** Builder of {@link RegionMigration}; each setter checks its argument, {@link #build()} the combination. */
    public static final class Builder {
        private final JdbcRegionDirectory directory;
        private final Map<Region, DataSource> admins = new LinkedHashMap<>();
        private final Map<String, MovedTable> tables = new LinkedHashMap<>();
        private Duration maxFreeze = DEFAULT_MAX_FREEZE;
        private Duration flipMargin = DEFAULT_FLIP_MARGIN;
        private Duration retention = DEFAULT_RETENTION;
        private Duration sourceCopyWait = DEFAULT_SOURCE_COPY_WAIT;
        private String appRole;
        private MigrationListener listener;
        private final Map<String, UserDataMover> movers = new LinkedHashMap<>();

        private Builder(JdbcRegionDirectory directory) {
            this.directory = directory;
        }

        /**
         * Sets the data source of one region's database; every region needs one.
         *
         * @param region a region of the directory's topology
         * @param admin a superuser's (or the owner's) data source; never the application role
         * @return this builder
         */
        public Builder admin(Region region, DataSource admin) {
            if (!directory.topology().contains(Objects.requireNonNull(region, "region must not be null"))) {
                throw new InvalidConfigurationException("admin", region, "admin region must be one of "
                        + directory.topology().regions() + ", but was " + region);
            }
            admins.put(region, Objects.requireNonNull(admin, "admin must not be null"));
            return this;
        }

        /**
         * Adds a regulated table whose rows move with their user.
         *
         * @param schema its residency schema (with a primary key)
         * @param userColumn the declared column holding the user id
         * @return this builder
         */
        public Builder table(ResidencySchema schema, String userColumn) {
            MovedTable t = new MovedTable(schema, userColumn);
            if (tables.putIfAbsent(t.table(), t) != null) {
                throw new InvalidConfigurationException("table", t.table(), "table must be added once, but " + t.table()
                        + " was added twice");
            }
            return this;
        }

        /**
         * Adds another store whose copies of the user move with the rows (Redis keys, MongoDB
         * documents), driven through the same steps and state; see {@link UserDataMover}.
         *
         * @param mover the store's mover, with a name no other mover of this migration has
         * @return this builder
         */
        public Builder mover(UserDataMover mover) {
            Objects.requireNonNull(mover, "mover must not be null");
            if (movers.putIfAbsent(mover.name(), mover) != null) {
                throw new InvalidConfigurationException("mover", mover.name(), "mover names must be unique, but "
                        + mover.name() + " was added twice");
            }
            return this;
        }

        /**
         * Sets the longest freeze of a user's writes, 100 ms to 60 s. Default 5 s.
         *
         * @param maxFreeze the bound
         * @return this builder
         */
        public Builder maxFreeze(Duration maxFreeze) {
            this.maxFreeze = Bounds.duration("maxFreeze", maxFreeze, Duration.ofMillis(100), Duration.ofSeconds(60));
            return this;
        }

        /**
         * Sets how much of the freeze must be left for the flip to go ahead, 10 ms to 30 s; shorter
         * than {@link #maxFreeze}. Default 1 s.
         *
         * @param margin the margin
         * @return this builder
         */
        public Builder flipMargin(Duration margin) {
            this.flipMargin = Bounds.duration("flipMargin", margin, Duration.ofMillis(10), Duration.ofSeconds(30));
            return this;
        }

        /**
         * Sets how long the source's copies are kept after the flip, 0 to 365 days. Default 1 day.
         *
         * @param retention the retention; zero deletes them as the last step of {@link #move}
         * @return this builder
         */
        public Builder retention(Duration retention) {
            this.retention = Bounds.duration("retention", retention, Duration.ZERO, Duration.ofDays(365));
            return this;
        }

        /**
         * Sets how long the fence step waits for the source's copy of the directory to show the flip
         * (recorded in the audit), 0 to 10 min. Default 10 s.
         *
         * @param wait the wait
         * @return this builder
         */
        public Builder sourceCopyWait(Duration wait) {
            this.sourceCopyWait = Bounds.duration("sourceCopyWait", wait, Duration.ZERO, Duration.ofMinutes(10));
            return this;
        }

        /**
         * Sets the application role, which {@link #installSchema()} keeps off the fence table.
         *
         * @param role a lower-case identifier
         * @return this builder
         */
        public Builder appRole(String role) {
            this.appRole = io.regionrouter.core.support.Sql.identifier("appRole", role,
                    io.regionrouter.core.support.Sql.MAX_IDENTIFIER_LENGTH);
            return this;
        }

        /**
         * Sets the listener of the steps. Default none.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(MigrationListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener must not be null");
            return this;
        }

        /**
         * Builds the migration.
         *
         * @return the migration
         * @throws InvalidConfigurationException if a region has no data source, no table was added,
         *     or the flip margin is not shorter than the freeze
         */
        public RegionMigration build() {
            for (Region r : directory.topology().regions()) {
                if (!admins.containsKey(r)) {
                    throw new InvalidConfigurationException("admin", r, "admin must be set for every region, but " + r + " has none");
                }
            }
            if (tables.isEmpty()) {
                throw new InvalidConfigurationException("table", null, "table must be added at least once, but none was");
            }
            if (flipMargin.compareTo(maxFreeze) >= 0) {
                throw new InvalidConfigurationException("flipMargin", flipMargin, "flipMargin must be shorter than maxFreeze ("
                        + maxFreeze + "), but was " + flipMargin);
            }
            return new RegionMigration(this);
        }
    }
}
