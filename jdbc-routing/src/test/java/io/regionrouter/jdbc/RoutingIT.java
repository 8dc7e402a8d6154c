package io.regionrouter.jdbc;

import static io.regionrouter.jdbc.PgFixture.AP;
import static io.regionrouter.jdbc.PgFixture.EU;
import static io.regionrouter.jdbc.PgFixture.US;
import static io.regionrouter.jdbc.PgFixture.boundRegion;
import static io.regionrouter.jdbc.PgFixture.count;
import static io.regionrouter.jdbc.PgFixture.insertOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.CachingRegionDirectory;
import io.regionrouter.core.DirectoryLookupException;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionContext;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.StaticRegionDirectory;
import io.regionrouter.core.Topology;
import io.regionrouter.testkit.LocalRegions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RoutingIT {

    @RegisterExtension
    static final LocalRegions REGIONS = PgFixture.threeRegions();

    private static final Topology TOPOLOGY = Topology.builder().regions("us", "eu", "ap").local("us").primary("us").build();
    private static final StaticRegionDirectory.Builder USERS = StaticRegionDirectory.builder()
            .user("alice", EU).user("bob", US).user("chen", AP);
    private static final List<String> MANY_USERS = new ArrayList<>();
    private static PgFixture fixture;
    private static final AtomicLong IDS = new AtomicLong();

    @BeforeAll
    static void start() {
        Region[] homes = {US, EU, AP};
        for (int i = 0; i < 12; i++) {
            String user = "user-" + i;
            MANY_USERS.add(user);
            USERS.user(user, homes[i % 3]);
        }
        fixture = new PgFixture(REGIONS, TOPOLOGY, USERS.build(), b -> { });
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @BeforeEach
    void cleanTables() throws SQLException {
        fixture.applyOrders();
    }

    private static long rowsIn(Region db, String user) throws SQLException {
        return count(fixture.superuser(db), "SELECT count(*) FROM orders WHERE user_id = ?", user);
    }

    @Test
    void forUser_writesLandInTheHomeRegionDatabaseOnly() throws SQLException {
        for (String user : List.of("alice", "bob", "chen")) {
            Region home = fixture.router.homeRegion(user);
            try (Connection c = fixture.pg.forUser(user).getConnection()) {
                insertOrder(c, IDS.incrementAndGet(), user, "book", home);
            }
            for (Region db : TOPOLOGY.regions()) {
                assertThat(rowsIn(db, user)).as("rows of %s (home %s) in %s", user, home, db)
                        .isEqualTo(db.equals(home) ? 1 : 0);
            }
        }
    }

    @Test
    void routingDataSource_writesLandInTheHomeRegionOfTheContextUser() throws SQLException {
        DataSource routing = fixture.pg.routingDataSource();
        for (String user : List.of("alice", "bob", "chen")) {
            Region home = fixture.router.homeRegion(user);
            try (RegionContext.Scope s = RegionContext.forUser(user).open(); Connection c = routing.getConnection()) {
                insertOrder(c, IDS.incrementAndGet(), user, "pen", home);
            }
            for (Region db : TOPOLOGY.regions()) {
                assertThat(rowsIn(db, user)).as("rows of %s in %s", user, db).isEqualTo(db.equals(home) ? 1 : 0);
            }
        }
    }

    @Test
    void everyPooledConnection_hasItsRegionBoundAsSessionSetting() throws SQLException {
        for (Region r : TOPOLOGY.regions()) {
            List<Connection> held = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    Connection c = fixture.pg.pool(r).getConnection();
                    held.add(c);
                    assertThat(boundRegion(c)).isEqualTo(r.id());
                }
            } finally {
                for (Connection c : held) {
                    c.close();
                }
            }
            assertThat(fixture.pg.pool(r).getPoolName()).isEqualTo("region-router-" + r.id());
        }
    }

    @Test
    void poolsMayHaveAsymmetricSizes() {
        RegionRouter router = fixture.router;
        try (RegionalDataSources asymmetric = RegionalDataSources.builder(router).healthProbes(false)
                .region(US, fixture.poolConfig(US, 6)).region(EU, fixture.poolConfig(EU, 2))
                .region(AP, fixture.poolConfig(AP, 1)).build()) {
            assertThat(asymmetric.pool(US).getMaximumPoolSize()).isEqualTo(6);
            assertThat(asymmetric.pool(EU).getMaximumPoolSize()).isEqualTo(2);
            assertThat(asymmetric.pool(AP).getMaximumPoolSize()).isEqualTo(1);
        }
    }

    @Test
    void concurrentMixedUsers_neverCrossRegionsAndNeverExhaustPools() throws Exception {
        int threads = 16;
        int opsPerThread = 25;
        DataSource routing = fixture.pg.routingDataSource();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    int done = 0;
                    for (int i = 0; i < opsPerThread; i++) {
                        String user = MANY_USERS.get((thread * 7 + i) % MANY_USERS.size());
                        Region home = fixture.router.homeRegion(user);
                        try (RegionContext.Scope s = RegionContext.forUser(user).open(); Connection c = routing.getConnection()) {
                            assertThat(boundRegion(c)).isEqualTo(home.id());
                            insertOrder(c, IDS.incrementAndGet(), user, "t" + thread, home);
                            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM orders WHERE region <> ?")) {
                                ps.setString(1, home.id());
                                try (ResultSet rs = ps.executeQuery()) {
                                    rs.next();
                                    assertThat(rs.getLong(1)).isZero();
                                }
                            }
                        }
                        done++;
                    }
                    return done;
                }));
            }
            int total = 0;
            for (Future<Integer> f : results) {
                total += f.get(60, TimeUnit.SECONDS);
            }
            assertThat(total).isEqualTo(threads * opsPerThread);
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        long stored = 0;
        for (Region db : TOPOLOGY.regions()) {
            assertThat(count(fixture.superuser(db), "SELECT count(*) FROM orders WHERE region <> ?", db.id()))
                    .as("foreign rows in %s", db).isZero();
            for (String user : MANY_USERS) {
                if (!fixture.router.homeRegion(user).equals(db)) {
                    assertThat(rowsIn(db, user)).as("rows of %s in %s", user, db).isZero();
                }
            }
            stored += count(fixture.superuser(db), "SELECT count(*) FROM orders");
            assertThat(fixture.pg.pool(db).getHikariPoolMXBean().getThreadsAwaitingConnection()).isZero();
        }
        assertThat(stored).isEqualTo((long) threads * opsPerThread);
    }

    @Test
    void jdbcDirectory_assignsInThePrimaryAndLooksUpLocally() throws SQLException {
        JdbcRegionDirectory table = JdbcRegionDirectory.builder(TOPOLOGY)
                .dataSources(Map.of(US, fixture.superuser(US), EU, fixture.superuser(EU), AP, fixture.superuser(AP)))
                .build();
        for (Region r : TOPOLOGY.regions()) {
            table.createTable(fixture.superuser(r));
            PgFixture.execute(fixture.superuser(r), "TRUNCATE region_directory");
        }
        table.assign("dora", EU);
        table.assign("dora", AP);
        table.assign("emil", US);
        assertThat(count(fixture.superuser(US), "SELECT count(*) FROM region_directory")).isEqualTo(2);
        assertThat(count(fixture.superuser(EU), "SELECT count(*) FROM region_directory")).isZero();
        assertThat(table.lookup("dora")).contains(AP);
        assertThat(table.lookup("nobody")).isEmpty();
        assertThat(table.lookupAll(List.of("dora", "emil", "nobody"))).containsExactlyInAnyOrderEntriesOf(Map.of("dora", AP, "emil", US));

        CachingRegionDirectory cached = CachingRegionDirectory.builder(table).build();
        RegionRouter router = RegionRouter.builder(TOPOLOGY).directory(cached).health(fixture.health).build();
        assertThat(router.homeRegion("dora")).isEqualTo(AP);
    }

    @Test
    void jdbcDirectory_fallsBackToTheNextLookupSource_andFailsWithDirectoryLookupExceptionWhenNoneAnswers() throws SQLException {
        StubDataSource dead = new StubDataSource("dead");
        dead.failure = new SQLTransientConnectionException("unreachable", "08001");
        JdbcRegionDirectory table = JdbcRegionDirectory.builder(TOPOLOGY).lookups(dead, fixture.superuser(US))
                .assignments(fixture.superuser(US)).build();
        table.createTable(fixture.superuser(US));
        table.assign("fred", EU);
        assertThat(table.lookup("fred")).contains(EU);
        assertThat(dead.calls).hasValue(1);

        JdbcRegionDirectory broken = JdbcRegionDirectory.builder(TOPOLOGY).lookups(dead).assignments(dead).build();
        assertThatThrownBy(() -> broken.lookup("fred")).isInstanceOf(DirectoryLookupException.class)
                .hasMessageContaining("fred").hasCauseInstanceOf(SQLTransientConnectionException.class);
    }

    @Test
    void healthProbe_usesAConnectionOfItsOwn_soAnExhaustedPoolDoesNotLookDead() throws Exception {
        var pool = fixture.pg.pool(EU);
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < pool.getMaximumPoolSize(); i++) {
                held.add(pool.getConnection());
            }
            assertThat(pool.getHikariPoolMXBean().getIdleConnections()).isZero();
            String before = lastProbeQueryStart();
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
            while (lastProbeQueryStart().equals(before) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(lastProbeQueryStart()).as("the probe ran a query while the pool was exhausted").isNotEqualTo(before);
            assertThat(fixture.health.state(EU, io.regionrouter.core.Store.POSTGRES)).isEqualTo(io.regionrouter.core.RegionState.UP);
            assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isEqualTo(pool.getMaximumPoolSize());
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
    }

    /** When eu's probe session last started a query; exactly one such session exists. */
    private static String lastProbeQueryStart() throws SQLException {
        try (Connection c = fixture.superuser(EU).getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT query_start::text, query FROM pg_stat_activity"
                        + " WHERE application_name = 'region-router-probe-eu'");
                ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).as("a probe session").isTrue();
            String start = rs.getString(1);
            assertThat(rs.getString(2)).isEqualTo("SELECT 1");
            assertThat(rs.next()).as("only one probe session").isFalse();
            return start;
        }
    }
}
