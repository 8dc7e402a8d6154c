package io.regionrouter.jdbc.failover;

import io.micrometer.observation.tck.TestObservationRegistry;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionEvent;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.StaticRegionDirectory;
import io.regionrouter.core.Topology;
import io.regionrouter.jdbc.RegionPoolConfig;
import io.regionrouter.jdbc.RegionalDataSources;
import io.regionrouter.testkit.PostgresServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import javax.sql.DataSource;

/**
 * Shared set-up of the failover integration tests: a router with the core's default health, pools on
 * testkit servers, a table {@code writes} and helpers to write through the router and count rows.
 * The user {@code bob} lives in us.
 */
final class FailoverFixture implements AutoCloseable {

    static final Region US = Region.of("us");
    static final Region EU = Region.of("eu");

    final Topology topology;
    final RegionHealth health;
    final RegionRouter router;
    final RegionalDataSources pg;
    final List<RegionEvent> events = new CopyOnWriteArrayList<>();
    /** Every observation of the router's registry: routing, checkouts, statements, failovers. */
    final TestObservationRegistry observations = TestObservationRegistry.create();

    FailoverFixture(Topology topology, List<PostgresServer> primaries) {
        this.topology = topology;
        this.health = RegionHealth.builder().build();
        this.router = RegionRouter.builder(topology).directory(StaticRegionDirectory.builder().user("bob", US).build())
                .health(health).observationRegistry(observations).build();
        RegionalDataSources.Builder b = RegionalDataSources.builder(router);
        for (int i = 0; i < primaries.size(); i++) {
            b.region(topology.regions().get(i), appPool(primaries.get(i)));
        }
        this.pg = b.build();
    }

    /** A fixture for the single region us, whose primary is {@code primary}. */
    static FailoverFixture usOnly(PostgresServer primary) {
        return new FailoverFixture(Topology.builder().regions("us").local("us").primary("us").build(), List.of(primary));
    }

    /** A manager builder with us's group (standby also in us) that records its events in {@link #events}. */
    FailoverManager.Builder manager(PostgresServer primary, PostgresServer standby, Durability durability) {
        return FailoverManager.builder(pg).group(group(primary, standby, US, durability)).listener(events::add).singleInstance();
    }

    static RegionPoolConfig appPool(PostgresServer server) {
        return RegionPoolConfig.builder().allowPlaintext(true).jdbcUrl(server.jdbcUrl()).username(server.appUser()).password(server.appPassword())
                .maximumPoolSize(4).minimumIdle(1).build();
    }

    static PgEndpoint endpoint(String name, Region location, PostgresServer server) {
        return new PgEndpoint(name, location, server.jdbcUrl(), server.superUser(), server.superPassword()).allowingPlaintext();
    }

    static FailoverGroup group(PostgresServer primary, PostgresServer standby, Region standbyLocation, Durability durability) {
        return FailoverGroup.builder(US).primary(endpoint("us-primary", US, primary))
                .standby(endpoint("us-standby", standbyLocation, standby)).standbyPool(appPool(standby)).durability(durability)
                .build();
    }

    /** Creates the table on the primary and waits (bounded) until the standby has it. */
    static void createTable(PostgresServer primary, PostgresServer standby) throws SQLException, InterruptedException {
        execute(primary.superuserDataSource(), "CREATE TABLE IF NOT EXISTS writes (id bigint PRIMARY KEY, note text)");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (count(standby.superuserDataSource(), "SELECT count(*) FROM pg_class WHERE relname = 'writes'") == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the standby did not replay CREATE TABLE within 20 s");
            }
            Thread.sleep(50);
        }
    }

    /** Inserts one row through the router, as bob's REGULATED data. */
    void write(long id) throws SQLException {
        try (Connection c = pg.forUser("bob").getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO writes (id, note) VALUES (?, 'x')")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
    }

    /** Retries a write through the router until it succeeds, at most for the given time. */
    long writeUntilAccepted(long id, Duration max) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + max.toNanos();
        while (true) {
            try {
                write(id);
                return System.nanoTime() - start;
            } catch (SQLException | RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no write was accepted within " + max, e);
                }
                Thread.sleep(20);
            }
        }
    }

    static Set<Long> ids(DataSource ds) throws SQLException {
        Set<Long> ids = new HashSet<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id FROM writes")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    static void execute(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static long count(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static boolean inRecovery(PostgresServer server) throws SQLException {
        return count(server.superuserDataSource(), "SELECT CASE WHEN pg_is_in_recovery() THEN 1 ELSE 0 END") == 1;
    }

    /** Waits, bounded, for an event of the type that matches; returns it. */
    <T extends RegionEvent> T awaitEvent(Class<T> type, Predicate<T> match, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            for (RegionEvent e : events) {
                if (type.isInstance(e) && match.test(type.cast(e))) {
                    return type.cast(e);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + type.getSimpleName() + " within " + max + "; events: " + events);
            }
            Thread.sleep(20);
        }
    }

    <T extends RegionEvent> List<T> eventsOf(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Prints timings in a form the build log keeps, for the report. */
    static void record(String test, String line) {
        System.out.println("FAILOVER-TIMING " + test + ": " + line);
    }

    @Override
    public void close() {
        pg.close();
        health.close();
    }
}
