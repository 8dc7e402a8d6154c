package io.regionrouter.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.Access;
import io.regionrouter.core.DirectoryLookupException;
import io.regionrouter.core.HealthConfig;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionContext;
import io.regionrouter.core.RegionDirectory;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.RegionState;
import io.regionrouter.core.RegionUnavailableException;
import io.regionrouter.core.ResidencyViolationException;
import io.regionrouter.core.StaticRegionDirectory;
import io.regionrouter.core.Store;
import io.regionrouter.core.Topology;
import io.regionrouter.core.UnknownUserException;
import io.regionrouter.jdbc.internal.RegionPool;
import io.regionrouter.jdbc.internal.RoutingConnector;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTransientException;
import java.sql.Wrapper;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RegionRoutingDataSourceTest {

    private static final Region US = Region.of("us");
    private static final Region EU = Region.of("eu");
    private static final Region AP = Region.of("ap");

    /** eu's data may be held (as a read-only copy) in us; nothing is multi-writer. */
    private final Topology topology = Topology.builder().regions("us", "eu", "ap").local("eu").primary("us")
            .proximity("eu", "us", "ap").residency("eu", "us").build();
    /** One recorded failure is enough to judge real calls, so tests can mark a store DOWN at once. */
    private final RegionHealth health = RegionHealth.builder().config(HealthConfig.builder().minimumCalls(1).build()).build();
    private final CountDownLatch directoryReleased = new CountDownLatch(1);
    private final StaticRegionDirectory users =
            StaticRegionDirectory.builder().user("alice", EU).user("bob", US).user("chen", AP).build();
    private final RegionRouter router = RegionRouter.builder(topology).health(health)
            .directory(directory()).build();
    private final Map<Region, StubDataSource> stubs = new LinkedHashMap<>();
    private final RoutingConnector connector;

    RegionRoutingDataSourceTest() {
        Map<Region, RegionPool> pools = new LinkedHashMap<>();
        for (Region r : topology.regions()) {
            StubDataSource stub = new StubDataSource(r.id());
            stubs.put(r, stub);
            pools.put(r, new RegionPool(r, stub, health.store(r, Store.POSTGRES)));
        }
        connector = new RoutingConnector(router, Store.POSTGRES, pools, Duration.ofMillis(300), System::nanoTime);
    }

    /** The users above; "hanging" makes the directory block until the test ends. */
    private RegionDirectory directory() {
        return userId -> {
            if (userId.equals("hanging")) {
                try {
                    directoryReleased.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Optional.of(EU);
            }
            return users.lookup(userId);
        };
    }

    @AfterEach
    void close() {
        directoryReleased.countDown();
        connector.close();
        health.close();
    }

    private RegionRoutingDataSource contextRouted(Region defaultRegion) {
        return new RegionRoutingDataSource(connector, null, null, defaultRegion, false, "test");
    }

    private static String regionOf(Connection c) throws SQLException {
        return c.getCatalog();
    }

    /** Marks a store DOWN: a probe that always fails keeps it there, one recorded failure puts it there now. */
    private void markDown(Region region, Store store) {
        health.register(region, store, timeout -> {
            throw new SQLTransientConnectionException("probe says no");
        });
        health.recordFailure(region, store, new SQLTransientConnectionException("test", "08001"));
        assertThat(health.state(region, store)).isEqualTo(RegionState.DOWN);
    }

    @Test
    void getConnection_routesRegulatedDataToHomeRegion() throws SQLException {
        RegionRoutingDataSource ds = contextRouted(null);
        try (RegionContext.Scope s = RegionContext.forUser("alice").open()) {
            assertThat(regionOf(ds.getConnection())).isEqualTo("eu");
        }
        try (RegionContext.Scope s = RegionContext.forUser("chen").open()) {
            assertThat(regionOf(ds.getConnection())).isEqualTo("ap");
        }
        assertThat(stubs.get(US).calls).hasValue(0);
    }

    @Test
    void getConnection_globalWriteGoesToPrimaryAndGlobalReadToLocal() throws SQLException {
        RegionRoutingDataSource ds = contextRouted(null);
        try (RegionContext.Scope s = RegionContext.forUser("chen").global(Access.WRITE).open()) {
            assertThat(regionOf(ds.getConnection())).isEqualTo("us");
        }
        try (RegionContext.Scope s = RegionContext.forUser("chen").global(Access.READ).open()) {
            assertThat(regionOf(ds.getConnection())).isEqualTo("eu");
        }
    }

    @Test
    void getConnection_severalInOneScope_followTheScopesDecision() throws SQLException {
        RegionRoutingDataSource ds = contextRouted(null);
        try (RegionContext.Scope s = RegionContext.forUser("alice").open()) {
            for (int i = 0; i < 5; i++) {
                try (Connection c = ds.getConnection()) {
                    assertThat(regionOf(c)).isEqualTo("eu");
                }
            }
        }
        assertThat(stubs.get(EU).closed).hasValue(5);
    }

    @Test
    void getConnection_withoutContext_throwsNoRegionContextSqlException() {
        RegionRoutingDataSource ds = contextRouted(null);
        assertThatThrownBy(ds::getConnection).isInstanceOf(NoRegionContextSQLException.class)
                .hasMessageContaining("no RegionContext").hasMessageContaining("defaultRegion")
                .hasCauseInstanceOf(NoRegionContextException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("55000"));
        assertThat(stubs.values()).allSatisfy(s -> assertThat(s.calls).hasValue(0));
    }

    @Test
    void getConnection_withoutContext_usesDefaultRegionWhenConfigured() throws SQLException {
        assertThat(regionOf(contextRouted(AP).getConnection())).isEqualTo("ap");
    }

    @Test
    void getConnection_explicitRegionForbiddenForUser_throwsResidencyViolationBeforeAnyPoolCall() {
        RegionRoutingDataSource ds = contextRouted(null);
        try (RegionContext.Scope s = RegionContext.of("alice", AP).open()) {
            assertThatThrownBy(ds::getConnection).isInstanceOf(ResidencyViolationSQLException.class)
                    .satisfies(e -> assertThat(((ResidencyViolationSQLException) e).getSQLState()).isEqualTo("42501"))
                    .satisfies(e -> assertThat(((ResidencyViolationSQLException) e).getCause().target()).isEqualTo(AP));
        }
        assertThat(stubs.values()).allSatisfy(s -> assertThat(s.calls).hasValue(0));
    }

    @Test
    void getConnection_explicitRegionHoldingACopy_servesReadsButRefusesWrites() throws SQLException {
        RegionRoutingDataSource ds = contextRouted(null);
        try (RegionContext.Scope s = RegionContext.of("alice", US).withAccess(Access.READ).open()) {
            assertThat(regionOf(ds.getConnection())).isEqualTo("us");
        }
        try (RegionContext.Scope s = RegionContext.of("alice", US).open()) {
            assertThatThrownBy(ds::getConnection).isInstanceOf(ResidencyViolationSQLException.class)
                    .hasCauseInstanceOf(ResidencyViolationException.class).hasMessageContaining("may not take writes");
        }
        assertThat(stubs.get(US).calls).hasValue(1);
    }

    @Test
    void getConnection_unknownUser_throwsUnknownUserSqlException() {
        try (RegionContext.Scope s = RegionContext.forUser("nobody").open()) {
            assertThatThrownBy(contextRouted(null)::getConnection).isInstanceOf(UnknownUserSQLException.class)
                    .hasCauseInstanceOf(UnknownUserException.class);
        }
    }

    @Test
    void getConnection_homeRegionDownWithoutAllowedFallback_failsTransientlyWithoutAskingThePool() {
        markDown(AP, Store.POSTGRES);
        RegionRoutingDataSource ds = contextRouted(null);
        try (RegionContext.Scope s = RegionContext.forUser("chen").open()) {
            assertThatThrownBy(ds::getConnection).isInstanceOf(RegionUnavailableSQLException.class)
                    .isInstanceOf(SQLTransientException.class).hasMessageContaining("ap")
                    .hasCauseInstanceOf(RegionUnavailableException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08001"));
        }
        assertThat(stubs.get(AP).calls).hasValue(0);
    }

    @Test
    void getConnection_homeRegionDown_readGoesToTheAllowedRegion_writeIsRefused() throws SQLException {
        markDown(EU, Store.POSTGRES);
        try (RegionContext.Scope s = RegionContext.forUser("alice").withAccess(Access.READ).open()) {
            assertThat(regionOf(contextRouted(null).getConnection())).isEqualTo("us");
        }
        try (RegionContext.Scope s = RegionContext.forUser("alice").open()) {
            assertThatThrownBy(contextRouted(null)::getConnection).isInstanceOf(RegionUnavailableSQLException.class)
                    .satisfies(e -> assertThat(((RegionUnavailableException) e.getCause()).tried()).containsExactly(EU));
        }
        assertThat(stubs.get(EU).calls).hasValue(0);
        assertThat(stubs.get(US).calls).as("only the read").hasValue(1);
    }

    @Test
    void getConnection_anotherStoreOfTheHomeRegionDown_stillGoesHome() throws SQLException {
        markDown(EU, Store.REDIS);
        try (RegionContext.Scope s = RegionContext.forUser("alice").open()) {
            assertThat(regionOf(contextRouted(null).getConnection())).isEqualTo("eu");
        }
    }

    @Test
    void getConnection_explicitRegionDown_failsWithoutAskingThePool() {
        markDown(US, Store.POSTGRES);
        try (RegionContext.Scope s = RegionContext.forRegion(US).open()) {
            assertThatThrownBy(contextRouted(null)::getConnection).isInstanceOf(RegionUnavailableSQLException.class);
        }
        assertThat(stubs.get(US).calls).hasValue(0);
    }

    @Test
    void getConnection_poolCannotConnect_globalReadFallsBackToNextRegion() throws SQLException {
        stubs.get(EU).failure = new SQLTransientConnectionException("timed out", "08001");
        try (RegionContext.Scope s = RegionContext.forUser("bob").global(Access.READ).open()) {
            assertThat(regionOf(contextRouted(null).getConnection())).isEqualTo("us");
        }
        assertThat(stubs.get(EU).calls).hasValue(1);
    }

    @Test
    void getConnection_poolCannotConnect_regulatedWriteDoesNotFallBackToACopy() {
        SQLTransientConnectionException timeout = new SQLTransientConnectionException("timed out", "08001");
        stubs.get(EU).failure = timeout;
        try (RegionContext.Scope s = RegionContext.forUser("alice").open()) {
            assertThatThrownBy(contextRouted(null)::getConnection).isInstanceOf(RegionUnavailableSQLException.class)
                    .hasRootCauseMessage("timed out")
                    .satisfies(e -> assertThat(e.getCause().getCause()).isSameAs(timeout));
        }
        assertThat(stubs.get(US).calls).hasValue(0);
    }

    @Test
    void getConnection_poolCannotConnect_regulatedReadFallsBackToTheAllowedCopy() throws SQLException {
        stubs.get(EU).failure = new SQLTransientConnectionException("timed out", "08001");
        try (RegionContext.Scope s = RegionContext.forUser("alice").withAccess(Access.READ).open()) {
            assertThat(regionOf(contextRouted(null).getConnection())).isEqualTo("us");
        }
    }

    @Test
    void getConnection_failureOfAServerThatAnswered_isNotRetriedElsewhere() {
        SQLException closed = new SQLException("pool is closed");
        stubs.get(EU).failure = closed;
        try (RegionContext.Scope s = RegionContext.forUser("bob").global(Access.READ).open()) {
            assertThatThrownBy(contextRouted(null)::getConnection).isSameAs(closed);
        }
        assertThat(stubs.get(US).calls).hasValue(0);
    }

    @Test
    void getConnection_directoryThatDoesNotAnswer_failsTransientlyWithTheLookupAsCause() {
        try (RegionContext.Scope s = RegionContext.forUser("hanging").open()) {
            assertThatThrownBy(contextRouted(null)::getConnection).isInstanceOf(RegionUnavailableSQLException.class)
                    .hasCauseInstanceOf(DirectoryLookupException.class)
                    .hasRootCauseInstanceOf(TimeoutException.class).hasMessageContaining("hanging");
        }
        assertThat(stubs.values()).allSatisfy(st -> assertThat(st.calls).hasValue(0));
    }

    @Test
    void fixedContextDataSource_ignoresThreadContext() throws SQLException {
        RegionRoutingDataSource forBob = new RegionRoutingDataSource(connector, null, RegionContext.forUser("bob"), null,
                false, "user=bob");
        try (RegionContext.Scope s = RegionContext.forUser("alice").open()) {
            assertThat(regionOf(forBob.getConnection())).isEqualTo("us");
        }
        assertThat(forBob).hasToString("RegionRoutingDataSource[user=bob]");
    }

    @Test
    void lazyDataSource_touchesNoPoolUntilTheFirstStatement_andThrowsRoutingFailuresThere() throws SQLException {
        markDown(AP, Store.POSTGRES);
        RegionRoutingDataSource lazy = new RegionRoutingDataSource(connector, null, null, null, true, "lazy");
        try (RegionContext.Scope s = RegionContext.forUser("chen").open(); Connection c = lazy.getConnection()) {
            c.setAutoCommit(false);
            assertThat(c.getAutoCommit()).isFalse();
            assertThatThrownBy(c::createStatement).isInstanceOf(RegionUnavailableSQLException.class);
        }
        try (Connection c = lazy.getConnection()) {
            assertThatThrownBy(c::createStatement).isInstanceOf(NoRegionContextSQLException.class);
        }
        assertThat(stubs.values()).allSatisfy(st -> assertThat(st.calls).hasValue(0));
    }

    @Test
    void lazyDataSource_routesAConnectionMarkedReadOnlyAsARead() throws SQLException {
        markDown(EU, Store.POSTGRES);
        RegionRoutingDataSource lazy = new RegionRoutingDataSource(connector, null, null, null, true, "lazy");
        try (RegionContext.Scope s = RegionContext.forUser("alice").open(); Connection c = lazy.getConnection()) {
            c.setReadOnly(true);
            assertThat(c.getCatalog()).isEqualTo("us");
        }
    }

    @Test
    void currentRegion_reportsTheFirstChoiceEvenWhenItIsDown() {
        markDown(AP, Store.POSTGRES);
        try (RegionContext.Scope s = RegionContext.forUser("chen").open()) {
            assertThat(contextRouted(null).currentRegion()).isEqualTo(AP);
        }
        assertThatThrownBy(contextRouted(null)::currentRegion).isInstanceOf(NoRegionContextException.class);
    }

    @Test
    void wrapperMethods_followTheJdbcContract() throws SQLException {
        RegionRoutingDataSource ds = contextRouted(null);
        assertThat(ds.isWrapperFor(DataSource.class)).isTrue();
        assertThat(ds.isWrapperFor(RegionRoutingDataSource.class)).isTrue();
        assertThat(ds.isWrapperFor(Wrapper.class)).isTrue();
        assertThat(ds.isWrapperFor(String.class)).isFalse();
        assertThat(ds.isWrapperFor(null)).isFalse();
        assertThat(ds.unwrap(DataSource.class)).isSameAs(ds);
        assertThatThrownBy(() -> ds.unwrap(String.class)).isInstanceOf(SQLException.class)
                .hasMessageContaining("java.lang.String");
    }

    @Test
    void logWriterAndLoginTimeout_areStoredAndReturned() {
        RegionRoutingDataSource ds = contextRouted(null);
        assertThat(ds.getLogWriter()).isNull();
        PrintWriter writer = new PrintWriter(new StringWriter());
        ds.setLogWriter(writer);
        ds.setLoginTimeout(7);
        assertThat(ds.getLogWriter()).isSameAs(writer);
        assertThat(ds.getLoginTimeout()).isEqualTo(7);
        assertThat(ds.getParentLogger().getName()).isEqualTo("io.regionrouter.jdbc");
    }

    @Test
    void getConnectionWithCredentials_isNotSupported() {
        assertThatThrownBy(() -> contextRouted(null).getConnection("u", "p"))
                .isInstanceOf(SQLFeatureNotSupportedException.class);
    }
}
