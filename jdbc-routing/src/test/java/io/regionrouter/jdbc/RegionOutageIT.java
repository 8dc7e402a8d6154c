package io.regionrouter.jdbc;

import static io.regionrouter.jdbc.PgFixture.AP;
import static io.regionrouter.jdbc.PgFixture.EU;
import static io.regionrouter.jdbc.PgFixture.US;
import static io.regionrouter.jdbc.PgFixture.boundRegion;
import static io.regionrouter.jdbc.PgFixture.count;
import static io.regionrouter.jdbc.PgFixture.insertOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.IMetricsTracker;
import io.regionrouter.core.Access;
import io.regionrouter.core.RegionContext;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.RegionState;
import io.regionrouter.core.RegionUnavailableException;
import io.regionrouter.core.StaticRegionDirectory;
import io.regionrouter.core.Topology;
import io.regionrouter.testkit.LocalRegions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A region goes dark (killed or partitioned) and comes back. While it is DOWN, no call may wait on
 * its pool: the tests count the checkouts the dead region's pool starts (taken or timed out) and
 * require none.
 */
class RegionOutageIT {

    @RegisterExtension
    static final LocalRegions REGIONS = PgFixture.threeRegions();

    /**
     * eu is local (GLOBAL reads start there); ap's residency rules also allow eu, and ap's data is
     * multi-writer with eu, so eu may take ap's writes while ap is down.
     */
    private static final Topology TOPOLOGY = Topology.builder().regions("us", "eu", "ap").local("eu").primary("us")
            .residency("ap", "eu").multiWriter("ap", "eu").build();
    private static final StaticRegionDirectory USERS =
            StaticRegionDirectory.builder().user("alice", EU).user("bob", US).user("chen", AP).build();
    private static final Duration DETECTION = Duration.ofSeconds(15);
    private static PgFixture fixture;

    @BeforeAll
    static void start() {
        fixture = new PgFixture(REGIONS, TOPOLOGY, USERS, b -> { });
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @BeforeEach
    void cleanTables() throws SQLException, InterruptedException {
        for (var r : TOPOLOGY.regions()) {
            fixture.awaitState(r, RegionState.UP, DETECTION);
        }
        fixture.applyOrders();
    }

    @Test
    void killedRegion_regulatedFailsFast_globalReadsFallBack_andTheRegionIsUsedAgainAfterRestart() throws Exception {
        DataSource alice = fixture.pg.forUser("alice");
        DataSource routing = fixture.pg.routingDataSource();
        REGIONS.region("eu").kill();
        try {
            fixture.awaitState(EU, RegionState.DOWN, DETECTION);

            LongAdder euCheckouts = countCheckouts(fixture.pg.pool(EU));
            for (int i = 0; i < 20; i++) {
                assertThatThrownBy(alice::getConnection).isInstanceOf(RegionUnavailableSQLException.class)
                        .hasCauseInstanceOf(RegionUnavailableException.class).hasMessageContaining("eu");
            }
            assertThat(euCheckouts.sum()).as("checkouts from eu's pool by 20 calls against the DOWN eu").isZero();
            assertThat(fixture.pg.pool(EU).getHikariPoolMXBean().getThreadsAwaitingConnection()).isZero();

            try (RegionContext.Scope s = RegionContext.forUser("bob").global(Access.READ).open();
                    Connection c = routing.getConnection()) {
                assertThat(boundRegion(c)).isEqualTo("us");
            }
            try (RegionContext.Scope s = RegionContext.forUser("chen").open(); Connection c = routing.getConnection()) {
                assertThat(boundRegion(c)).as("ap is unaffected").isEqualTo("ap");
            }
        } finally {
            REGIONS.region("eu").restart();
        }
        fixture.awaitState(EU, RegionState.UP, DETECTION);
        try (Connection c = alice.getConnection()) {
            insertOrder(c, 1, "alice", "back", EU);
        }
        assertThat(count(fixture.superuser(EU), "SELECT count(*) FROM orders WHERE user_id = 'alice'")).isEqualTo(1);
        try (RegionContext.Scope s = RegionContext.forUser("bob").global(Access.READ).open();
                Connection c = routing.getConnection()) {
            assertThat(boundRegion(c)).isEqualTo("eu");
        }
    }

    @Test
    void partitionedRegion_regulatedGoesToTheAllowedRegionWithoutWaiting_andReturnsAfterHeal() throws Exception {
        DataSource routing = fixture.pg.routingDataSource();
        fixture.letProbesConnect();
        REGIONS.region("ap").partition();
        LongAdder apCheckouts;
        try {
            fixture.awaitState(AP, RegionState.DOWN, DETECTION);
            apCheckouts = countCheckouts(fixture.pg.pool(AP));
            for (int i = 0; i < 20; i++) {
                try (RegionContext.Scope s = RegionContext.forUser("chen").open(); Connection c = routing.getConnection()) {
                    assertThat(boundRegion(c)).isEqualTo("eu");
                    insertOrder(c, 100 + i, "chen", "during-partition", AP);
                }
            }
            assertThat(apCheckouts.sum()).as("checkouts from ap's pool by 20 writes while ap is DOWN").isZero();
            assertThat(count(fixture.superuser(EU), "SELECT count(*) FROM orders WHERE region = 'ap'")).isEqualTo(20);
            try (RegionContext.Scope s = RegionContext.of("chen", AP).open()) {
                assertThatThrownBy(routing::getConnection).isInstanceOf(RegionUnavailableSQLException.class);
            }
        } finally {
            REGIONS.region("ap").heal();
        }
        fixture.awaitState(AP, RegionState.UP, DETECTION);
        long before = apCheckouts.sum();
        try (RegionContext.Scope s = RegionContext.forUser("chen").open(); Connection c = routing.getConnection()) {
            assertThat(boundRegion(c)).isEqualTo("ap");
        }
        assertThat(apCheckouts.sum()).as("the counter sees ap's checkouts once ap is back").isGreaterThan(before);
    }

    @Test
    void unreachableDatabaseAtStartup_failFastNamesTheRegion_lazyStartsAndUsesItOnceBack() throws Exception {
        REGIONS.region("ap").refuse();
        try (RegionHealth health = RegionHealth.builder().config(PgFixture.FAST_HEALTH).build()) {
            RegionRouter router = RegionRouter.builder(TOPOLOGY).directory(USERS).health(health).build();
            RegionalDataSources.Builder builder = RegionalDataSources.builder(router)
                    .region(US, fixture.poolConfig(US, 2)).region(EU, fixture.poolConfig(EU, 2)).region(AP, fixture.poolConfig(AP, 2));
            assertThatThrownBy(builder::build).isInstanceOf(RegionUnavailableException.class)
                    .hasMessageContaining("regions.ap.jdbcUrl")
                    .hasMessageNotContaining(fixture.server(AP).appPassword());
            try (RegionalDataSources lazy = builder.config(RegionalJdbcConfig.builder().startup(StartupMode.LAZY).build()).build()) {
                awaitState(health, AP, RegionState.DOWN);
                assertThatThrownBy(() -> lazy.forRegion(AP).getConnection()).isInstanceOf(RegionUnavailableSQLException.class);
                REGIONS.region("ap").heal();
                awaitState(health, AP, RegionState.UP);
                try (Connection c = lazy.forUser("chen").getConnection()) {
                    assertThat(boundRegion(c)).isEqualTo("ap");
                }
            }
        } finally {
            REGIONS.region("ap").heal();
        }
    }

    private static void awaitState(RegionHealth health, io.regionrouter.core.Region region, RegionState state)
            throws InterruptedException {
        long deadline = System.nanoTime() + DETECTION.toNanos();
        while (health.state(region, io.regionrouter.core.Store.POSTGRES) != state) {
            assertThat(System.nanoTime()).as("%s becomes %s", region, state).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /**
     * Counts the checkouts a pool starts from now on, taken or timed out. HikariCP takes one metrics
     * tracker per pool, so each pool can be counted once per run.
     */
    private static LongAdder countCheckouts(HikariDataSource pool) {
        LongAdder checkouts = new LongAdder();
        pool.setMetricsTrackerFactory((name, stats) -> new IMetricsTracker() {
            @Override
            public void recordConnectionAcquiredNanos(long elapsedAcquiredNanos) {
                checkouts.increment();
            }

            @Override
            public void recordConnectionTimeout() {
                checkouts.increment();
            }
        });
        return checkouts;
    }
}
