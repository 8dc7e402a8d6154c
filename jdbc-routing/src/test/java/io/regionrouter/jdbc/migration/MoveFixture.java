package io.regionrouter.jdbc.migration;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.regionrouter.core.CachingRegionDirectory;
import io.regionrouter.core.Region;
import io.regionrouter.core.Topology;
import io.regionrouter.jdbc.DirectoryInvalidations;
import io.regionrouter.jdbc.JdbcRegionDirectory;
import io.regionrouter.jdbc.MigrationListener;
import io.regionrouter.jdbc.RegionMigration;
import io.regionrouter.jdbc.ResidencySchema;
import io.regionrouter.jdbc.replication.LogicalReplication;
import io.regionrouter.jdbc.replication.ReplicationEndpoint;
import io.regionrouter.jdbc.replication.ReplicationPlan;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.PostgresServer;
import io.regionrouter.testkit.ServerKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.sql.DataSource;

/**
 * us (the primary) and eu on real PostgreSQL 17 servers: the directory replicated from us, a
 * regulated table {@code notes} under its residency schema, the move guard, and pools of the
 * superuser for the migration.
 */
final class MoveFixture implements AutoCloseable {

    static final Region US = Region.of("us");
    static final Region EU = Region.of("eu");
    static final Topology TOPOLOGY = Topology.builder().regions("us", "eu").local("us").primary("us").build();
    static final Duration WAIT = Duration.ofSeconds(30);

    static LocalRegions regions() {
        return LocalRegions.builder().region("us", ServerKind.POSTGRES).region("eu", ServerKind.POSTGRES).build();
    }

    final LocalRegions regions;
    final JdbcRegionDirectory directory;
    final ResidencySchema notes;
    final Map<Region, HikariDataSource> admins = new java.util.LinkedHashMap<>();
    final LogicalReplication replication;
    final List<AutoCloseable> closeables = new ArrayList<>();

    MoveFixture(LocalRegions regions) throws Exception {
        this.regions = regions;
        for (Region r : TOPOLOGY.regions()) {
            admins.put(r, pool(server(r), server(r).superUser(), server(r).superPassword(), 4));
        }
        directory = JdbcRegionDirectory.builder(TOPOLOGY).dataSources(Map.of(US, admins.get(US), EU, admins.get(EU))).build();
        notes = notesSchema();
        for (Region r : TOPOLOGY.regions()) {
            directory.createTable(admins.get(r));
            notes.apply(admins.get(r), r);
        }
        replication = replication("mv");
        replication.apply();
        replication.awaitInitialSync(WAIT);
    }

    /** The regulated table of the tests: {@code notes (id, user_id, body, region)}. */
    static ResidencySchema notesSchema() {
        return ResidencySchema.builder(TOPOLOGY).table("notes").column("id", "bigint NOT NULL").column("user_id", "text NOT NULL")
                .column("body", "text").primaryKey("id").appRole("app").build();
    }

    LogicalReplication replication(String prefix) {
        LogicalReplication.Builder b = LogicalReplication.builder(TOPOLOGY);
        for (Region r : TOPOLOGY.regions()) {
            PostgresServer s = server(r);
            b.endpoint(r, ReplicationEndpoint.builder().admin(s.superuserDataSource()).host(s.host()).port(s.port())
                    .database(PostgresServer.DATABASE).user(s.superUser()).password(s.superPassword()).allowPlaintext(true).build());
        }
        return b.plan(ReplicationPlan.builder().namePrefix(prefix).global(directory.table()).build()).build();
    }

    RegionMigration.Builder migration(MigrationListener listener) {
        RegionMigration.Builder b = RegionMigration.builder(directory).table(notes, "user_id").appRole(server(US).appUser())
                .maxFreeze(Duration.ofSeconds(5)).flipMargin(Duration.ofSeconds(1)).sourceCopyWait(Duration.ofSeconds(10));
        admins.forEach(b::admin);
        if (listener != null) {
            b.listener(listener);
        }
        return b;
    }

    PostgresServer server(Region r) {
        return regions.region(r.id()).postgres();
    }

    HikariDataSource appPool(Region r, int size) {
        return pool(server(r), server(r).appUser(), server(r).appPassword(), size);
    }

    private HikariDataSource pool(PostgresServer s, String user, String password, int size) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(s.jdbcUrl());
        c.setUsername(user);
        c.setPassword(password);
        c.setMaximumPoolSize(size);
        c.setMinimumIdle(1);
        c.setConnectionTimeout(5000);
        c.setPoolName("move-" + s.region() + "-" + user);
        HikariDataSource ds = new HikariDataSource(c);
        closeables.add(ds);
        return ds;
    }

    /** Gives a user {@code rows} rows in {@code home} and assigns them there. */
    void seed(String user, Region home, int rows, long firstId) throws SQLException {
        directory.assign(user, home);
        execute(admins.get(home), "INSERT INTO notes (id, user_id, body, region) SELECT " + firstId + " + g, '" + user
                + "', 'seed ' || g, '" + home.id() + "' FROM generate_series(0, " + (rows - 1) + ") g");
    }

    long rows(Region r, String user) throws SQLException {
        return count(admins.get(r), "SELECT count(*) FROM notes WHERE user_id = ?", user);
    }

    /** One application instance: its own directory, cache, listener and pools. */
    final class Instance implements AutoCloseable {
        final JdbcRegionDirectory table;
        final CachingRegionDirectory cache;
        final DirectoryInvalidations feed;
        final Map<Region, DataSource> pools = new java.util.LinkedHashMap<>();

        Instance(Region local) {
            Topology topology = TOPOLOGY.withLocal(local);
            for (Region r : topology.regions()) {
                pools.put(r, appPool(r, 3));
            }
            table = JdbcRegionDirectory.builder(topology).dataSources(Map.of(US, pools.get(US), EU, pools.get(EU)))
                    .queryTimeout(Duration.ofSeconds(2)).build();
            cache = CachingRegionDirectory.builder(table).refreshAfterWrite(Duration.ofMinutes(9)).build();
            feed = DirectoryInvalidations.builder(table, cache).listenTo(server(local).appDataSource())
                    .reconnectDelay(Duration.ofMillis(100)).build().start();
        }

        @Override
        public void close() {
            feed.close();
        }
    }

    static void execute(DataSource ds, String... sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        }
    }

    static long count(DataSource ds, String sql, Object... args) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static void await(String what, Duration max, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + max + " waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() throws Exception {
        replication.teardown();
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }
}
