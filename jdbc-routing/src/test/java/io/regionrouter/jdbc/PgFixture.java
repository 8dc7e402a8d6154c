package io.regionrouter.jdbc;

import io.regionrouter.core.HealthConfig;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionDirectory;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.RegionState;
import io.regionrouter.core.Store;
import io.regionrouter.core.Topology;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.PostgresServer;
import io.regionrouter.testkit.ServerKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import javax.sql.DataSource;

/** Shared set-up of the integration tests: a router, its health monitor and pools on testkit servers. */
final class PgFixture implements AutoCloseable {

    static final Region US = Region.of("us");
    static final Region EU = Region.of("eu");
    static final Region AP = Region.of("ap");

    /** Fast probing so tests see state changes within a second or two. */
    static final HealthConfig FAST_HEALTH = HealthConfig.builder().interval(Duration.ofMillis(300))
            .timeout(Duration.ofMillis(300)).failureThreshold(3).successThreshold(2).build();

    final LocalRegions regions;
    final Topology topology;
    final RegionHealth health;
    final RegionRouter router;
    final RegionalDataSources pg;

    PgFixture(LocalRegions regions, Topology topology, RegionDirectory directory,
            Consumer<RegionalDataSources.Builder> customizer) {
        this(regions, topology, directory, FAST_HEALTH, (fixture, r) -> fixture.poolConfig(r, 4), customizer);
    }

    /** A fixture with its own health settings and pool settings per region. */
    PgFixture(LocalRegions regions, Topology topology, RegionDirectory directory, HealthConfig healthConfig,
            BiFunction<PgFixture, Region, RegionPoolConfig> pools, Consumer<RegionalDataSources.Builder> customizer) {
        this.regions = regions;
        this.topology = topology;
        this.health = RegionHealth.builder().config(healthConfig).build();
        this.router = RegionRouter.builder(topology).directory(directory).health(health).build();
        RegionalDataSources.Builder builder = RegionalDataSources.builder(router);
        for (Region r : topology.regions()) {
            builder.region(r, pools.apply(this, r));
        }
        customizer.accept(builder);
        this.pg = builder.build();
    }

    static LocalRegions threeRegions() {
        return LocalRegions.builder().region("us", ServerKind.POSTGRES).region("eu", ServerKind.POSTGRES)
                .region("ap", ServerKind.POSTGRES).build();
    }

    RegionPoolConfig poolConfig(Region region, int size) {
        PostgresServer server = server(region);
        return RegionPoolConfig.builder().allowPlaintext(true).jdbcUrl(server.jdbcUrl()).username(server.appUser())
                .password(server.appPassword()).maximumPoolSize(size).minimumIdle(1).build();
    }

    PostgresServer server(Region region) {
        return regions.region(region.id()).postgres();
    }

    DataSource superuser(Region region) {
        return server(region).superuserDataSource();
    }

    static ResidencySchema ordersSchema(Topology topology) {
        return ResidencySchema.builder(topology).table("orders").column("id", "bigint NOT NULL")
                .column("user_id", "text NOT NULL").column("item", "text").primaryKey("id").appRole("app").build();
    }

    /** Applies the schema as the superuser (the owner) in every region and empties the table. */
    void applyOrders() throws SQLException {
        ResidencySchema schema = ordersSchema(topology);
        for (Region r : topology.regions()) {
            schema.apply(superuser(r), r);
            execute(superuser(r), "TRUNCATE orders");
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

    static String boundRegion(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_setting('app.user_region', true)")) {
            rs.next();
            return rs.getString(1);
        }
    }

    static void insertOrder(Connection c, long id, String user, String item, Region region) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO orders (id, user_id, item, region) VALUES (?, ?, ?, ?)")) {
            ps.setLong(1, id);
            ps.setString(2, user);
            ps.setString(3, item);
            ps.setString(4, region.id());
            ps.executeUpdate();
        }
    }

    /** A pool of the application role with the given size, the rest as {@link #poolConfig(Region, int)}. */
    RegionPoolConfig.Builder poolConfigBuilder(Region region, int size) {
        return poolConfig(region, size).toBuilder();
    }

    /**
     * Gives the health probes time to open their own connections (two probe intervals). A
     * connection that the proxy accepts in the very moment it freezes can escape the freeze, so a
     * test that partitions a region right after start-up could leave the probe talking through it.
     */
    void letProbesConnect() throws InterruptedException {
        Thread.sleep(health.config().interval().multipliedBy(2).toMillis());
    }

    /** Waits, bounded, until the health monitor reports the state. */
    void awaitState(Region region, RegionState state, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (health.state(region, Store.POSTGRES) != state) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("region " + region + " did not become " + state + " within " + max
                        + "; it is " + health.state(region, Store.POSTGRES));
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        pg.close();
        health.close();
    }
}
