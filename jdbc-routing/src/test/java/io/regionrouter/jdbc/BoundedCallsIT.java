package io.regionrouter.jdbc;

import static io.regionrouter.jdbc.PgFixture.EU;
import static io.regionrouter.jdbc.PgFixture.US;
import static io.regionrouter.jdbc.PgFixture.boundRegion;
import static io.regionrouter.jdbc.PgFixture.count;
import static org.assertj.core.api.Assertions.assertThat;

import io.regionrouter.core.CachingRegionDirectory;
import io.regionrouter.core.DirectoryLookupException;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionContext;
import io.regionrouter.core.RegionState;
import io.regionrouter.core.Topology;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.ServerKind;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every call ends within its bound, against real servers behind proxies that freeze: a statement
 * within the socket timeout (2 s here), {@code getConnection()} within the connection budget (1 s
 * here) even while the region directory does not answer. The directory table lives in a third
 * region, "ap", which is not part of the topology.
 */
class BoundedCallsIT {

    @RegisterExtension
    static final LocalRegions REGIONS = LocalRegions.builder().region("us", ServerKind.POSTGRES)
            .region("eu", ServerKind.POSTGRES).region("ap", ServerKind.POSTGRES).build();

    private static final Topology TOPOLOGY = Topology.builder().regions("us", "eu").local("us").primary("us").build();
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration BUDGET = Duration.ofSeconds(1);
    /** What a loaded build machine may add to a bound before the test calls it a hang. */
    private static final Duration SLACK = Duration.ofMillis(1500);
    /**
     * A liveness cap, not a measurement: a call into a partition that no bound ended would hang, and
     * this turns the hang into a failure. What ended a call is read from its failure instead.
     */
    private static final Duration HANG = Duration.ofSeconds(15);
    private static PgFixture fixture;
    private static CachingRegionDirectory directory;

    @BeforeAll
    static void start() throws SQLException {
        DataSource directoryDb = REGIONS.region("ap").postgres().appDataSource();
        JdbcRegionDirectory table = JdbcRegionDirectory.builder(TOPOLOGY).lookups(directoryDb).assignments(directoryDb).build();
        table.createTable(REGIONS.region("ap").postgres().superuserDataSource());
        for (String user : new String[] {"alice", "bob", "dora", "erin"}) {
            table.assign(user, user.equals("bob") ? US : EU);
        }
        directory = CachingRegionDirectory.builder(table).build();
        fixture = new PgFixture(REGIONS, TOPOLOGY, directory, PgFixture.FAST_HEALTH,
                (f, region) -> f.poolConfigBuilder(region, 2).socketTimeout(SOCKET_TIMEOUT).build(),
                b -> b.config(RegionalJdbcConfig.builder().connectionBudget(BUDGET).build()));
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @BeforeEach
    void cleanTables() throws Exception {
        for (Region r : TOPOLOGY.regions()) {
            fixture.awaitState(r, RegionState.UP, Duration.ofSeconds(15));
        }
        fixture.applyOrders();
    }

    @AfterEach
    void heal() {
        REGIONS.resetFaults();
    }

    /** Runs a call on another thread, so that a call that hangs fails the test instead of hanging it. */
    private static <T> T within(Duration max, java.util.concurrent.Callable<T> call) throws Exception {
        CompletableFuture<T> future = CompletableFuture.supplyAsync(() -> {
            try {
                return call.call();
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        try {
            return future.get(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the call did not end within " + max.toMillis() + " ms", e);
        }
    }

    /**
     * Counts the orders with the id once the backend that served the failed statement has ended: it
     * has then handled whatever the proxy held back and, its client gone, committed or rolled back.
     */
    private static long ordersInEuAfterHealing(long id, long backend) throws Exception {
        fixture.awaitState(EU, RegionState.UP, Duration.ofSeconds(15));
        Pg.await("eu's backend " + backend + " to end", HANG, () -> count(fixture.superuser(EU),
                "SELECT count(*) FROM pg_stat_activity WHERE pid = ?", backend) == 0);
        return count(fixture.superuser(EU), "SELECT count(*) FROM orders WHERE id = ?", id);
    }

    private static long backendPid(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Runs a statement on a warm connection of eu after partitioning eu, and returns its failure.
     * The partition heals before the connection is closed, so a statement that hangs fails the test
     * instead of hanging it.
     */
    private static SQLException failureOfAStatementIntoThePartition(Connection c, String sql, Duration max) throws Exception {
        Statement s = c.createStatement();
        try {
            REGIONS.region("eu").partition();
            return within(max, () -> {
                try {
                    s.executeUpdate(sql);
                    return null;
                } catch (SQLException e) {
                    return e;
                }
            });
        } finally {
            REGIONS.region("eu").heal(); // first: closing waits for a statement that is still running
            s.close();
            c.close();
        }
    }

    @Test
    void autoCommitInsertIntoAPartitionedRegion_endsWithinTheSocketTimeout_andSaysItsOutcomeIsUnknown_forItIsCommittedLater() throws Exception {
        Connection c = fixture.pg.forUser("alice").getConnection();
        assertThat(boundRegion(c)).isEqualTo("eu");
        long backend = backendPid(c);
        SQLException failure = failureOfAStatementIntoThePartition(c,
                "INSERT INTO orders (id, user_id, item, region) VALUES (1, 'alice', 'lost?', 'eu')", HANG);
        assertThat((Throwable) failure).isInstanceOf(OutcomeUnknownSQLException.class).hasMessageContaining("may have been applied")
                .as("ended by the socket timeout").hasRootCauseInstanceOf(SocketTimeoutException.class);
        assertThat(failure.getSQLState()).isEqualTo("08007");
        assertThat(((OutcomeUnknownSQLException) failure).region()).isEqualTo(EU);
        assertThat(ordersInEuAfterHealing(1, backend))
                .as("the proxy delivers the insert once the partition heals and the database commits it, as the exception warned")
                .isEqualTo(1);
    }

    @Test
    void insertInATransactionIntoAPartitionedRegion_endsWithinTheSocketTimeout_andIsNeverCommitted() throws Exception {
        Connection c = fixture.pg.forUser("alice").getConnection();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO orders (id, user_id, item, region) VALUES (2, 'alice', 'before', 'eu')");
        }
        long backend = backendPid(c);
        SQLException failure = failureOfAStatementIntoThePartition(c,
                "INSERT INTO orders (id, user_id, item, region) VALUES (3, 'alice', 'lost', 'eu')", HANG);
        assertThat((Throwable) failure).isNotNull().isNotInstanceOf(OutcomeUnknownSQLException.class)
                .as("ended by the socket timeout").hasRootCauseInstanceOf(SocketTimeoutException.class);
        assertThat(failure.getSQLState()).isEqualTo("08006");
        assertThat(ordersInEuAfterHealing(3, backend)).as("a statement of a transaction that failed is never committed").isZero();
        assertThat(count(fixture.superuser(EU), "SELECT count(*) FROM orders WHERE id = 2")).isZero();
    }

    /** Users erin and dora are looked up by this test only, so the directory's cache does not know them yet. */
    @Test
    void directoryThatHangs_getConnectionEndsWithinTheBudgetWithATransientSqlException() throws Exception {
        DataSource routing = fixture.pg.routingDataSource();
        try (RegionContext.Scope s = RegionContext.forUser("bob").open(); Connection c = routing.getConnection()) {
            assertThat(boundRegion(c)).isEqualTo("us"); // bob is cached from now on
        }
        REGIONS.region("ap").partition();
        Object outcome = within(HANG, () -> {
            try (RegionContext.Scope s = RegionContext.forUser("erin").open(); Connection c = routing.getConnection()) {
                return boundRegion(c);
            } catch (SQLException e) {
                return e;
            }
        });
        assertThat(outcome).isInstanceOf(RegionUnavailableSQLException.class).isInstanceOf(SQLTransientException.class);
        assertThat(((SQLException) outcome).getCause()).isInstanceOf(DirectoryLookupException.class)
                .hasMessageContaining("erin").hasRootCauseInstanceOf(TimeoutException.class);
        // the lookup was given what was left of the budget, and no more
        Matcher given = Pattern.compile("did not answer within (\\d+) ms, the connection budget left")
                .matcher(((SQLException) outcome).getCause().getCause().getMessage());
        assertThat(given.find()).as(((SQLException) outcome).getCause().getCause().getMessage()).isTrue();
        assertThat(Long.parseLong(given.group(1))).as("time given to the lookup, ms").isBetween(1L, BUDGET.toMillis());

        Object cached = within(BUDGET.plus(SLACK), () -> {
            try (RegionContext.Scope s = RegionContext.forUser("bob").open(); Connection c = routing.getConnection()) {
                return boundRegion(c);
            }
        });
        assertThat(cached).as("a user the directory's cache knows is served while it does not answer").isEqualTo("us");

        REGIONS.region("ap").heal();
        Object afterHeal = within(Duration.ofSeconds(15), () -> {
            try (RegionContext.Scope s = RegionContext.forUser("dora").open(); Connection c = routing.getConnection()) {
                return boundRegion(c);
            }
        });
        assertThat(afterHeal).isEqualTo("eu");
    }
}
