package io.regionrouter.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.Access;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionContext;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.RegionState;
import io.regionrouter.core.RegionUnavailableException;
import io.regionrouter.core.ResidencyViolationException;
import io.regionrouter.core.StaticRegionDirectory;
import io.regionrouter.core.Topology;
import io.regionrouter.jdbc.internal.RegionPool;
import io.regionrouter.jdbc.internal.RoutingConnector;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.sql.Wrapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RegionRoutingDataSourceTest {

    private static final Region US = Region.of("us");
    private static final Region EU = Region.of("eu");
    private static final Region AP = Region.of("ap");

    private final Topology topology = Topology.builder().regions("us", "eu", "ap").local("eu").primary("us")
            .proximity("eu", "us", "ap").residency("eu", "us").build();
    private final RegionHealth health = RegionHealth.builder().build();
    private final RegionRouter router = RegionRouter.builder(topology).health(health)
            .directory(StaticRegionDirectory.builder().user("alice", EU).user("bob", US).user("chen", AP).build())
            .build();
    private final Map<Region, StubDataSource> stubs = new LinkedHashMap<>();
    private final RoutingConnector connector;

    RegionRoutingDataSourceTest() {
        Map<Region, RegionPool> pools = new LinkedHashMap<>();
        for (Region r : topology.regions()) {
            StubDataSource stub = new StubDataSource(r.id());
            stubs.put(r, stub);
            pools.put(r, new RegionPool(r, stub, health));
        }
        connector = new RoutingConnector(router, pools);
    }

    @AfterEach
    void closeHealth() {
        health.close();
    }

    private RegionRoutingDataSource contextRouted(Region defaultRegion) {
        return new RegionRoutingDataSource(connector, RegionContext::current, defaultRegion, "test");
    }

    private static String regionOf(Connection c) throws SQLException {
        return c.getCatalog();
    }

    /** Marks a region DOWN: a probe that always fails keeps it there, four recorded failures put it there now. */
    private void markDown(Region region) {
        health.register(region, timeout -> {
            throw new SQLTransientConnectionException("probe says no");
        });
        for (int i = 0; i < 4; i++) {
            health.recordFailure(region, new SQLTransientConnectionException("test"));
        }
        assertThat(health.state(region)).isEqualTo(RegionState.DOWN);
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
    void getConnection_withoutContext_throwsNoRegionContextException() {
        RegionRoutingDataSource ds = contextRouted(null);
        assertThatThrownBy(ds::getConnection).isInstanceOf(NoRegionContextException.class)
                .hasMessageContaining("no RegionContext").hasMessageContaining("defaultRegion");
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
            assertThatThrownBy(ds::getConnection).isInstanceOf(ResidencyViolationException.class)
                    .satisfies(e -> assertThat(((ResidencyViolationException) e).target()).isEqualTo(AP));
        }
        assertThat(stubs.values()).allSatisfy(s -> assertThat(s.calls).hasValue(0));
    }

    @Test
    void getConnection_explicitRegionAllowedForUser_usesIt() throws SQLException {
        try (RegionContext.Scope s = RegionContext.of("alice", US).open()) {
            assertThat(regionOf(contextRouted(null).getConnection())).isEqualTo("us");
        }
    }

    @Test
    void getConnection_homeRegionDownWithoutAllowedFallback_failsWithoutAskingThePool() {
        markDown(AP);
        RegionRoutingDataSource ds = contextRouted(null);
        try (RegionContext.Scope s = RegionContext.forUser("chen").open()) {
            assertThatThrownBy(ds::getConnection).isInstanceOf(RegionUnavailableException.class)
                    .hasMessageContaining("ap");
        }
        assertThat(stubs.get(AP).calls).hasValue(0);
    }

    @Test
    void getConnection_homeRegionDown_goesToAllowedRegion() throws SQLException {
        markDown(EU);
        try (RegionContext.Scope s = RegionContext.forUser("alice").open()) {
            assertThat(regionOf(contextRouted(null).getConnection())).isEqualTo("us");
        }
        assertThat(stubs.get(EU).calls).hasValue(0);
    }

    @Test
    void getConnection_explicitRegionDown_failsWithoutAskingThePool() {
        markDown(US);
        try (RegionContext.Scope s = RegionContext.forRegion(US).open()) {
            assertThatThrownBy(contextRouted(null)::getConnection).isInstanceOf(RegionUnavailableException.class);
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
    void getConnection_poolCannotConnect_regulatedWithoutAllowedFallbackRethrows() {
        SQLTransientConnectionException timeout = new SQLTransientConnectionException("timed out", "08001");
        stubs.get(AP).failure = timeout;
        try (RegionContext.Scope s = RegionContext.forUser("chen").open()) {
            assertThatThrownBy(contextRouted(null)::getConnection).isSameAs(timeout);
        }
        assertThat(stubs.get(US).calls).hasValue(0);
        assertThat(stubs.get(EU).calls).hasValue(0);
    }

    @Test
    void getConnection_nonConnectionFailureIsNotRetriedElsewhere() {
        SQLException closed = new SQLException("pool is closed");
        stubs.get(EU).failure = closed;
        try (RegionContext.Scope s = RegionContext.forUser("bob").global(Access.READ).open()) {
            assertThatThrownBy(contextRouted(null)::getConnection).isSameAs(closed);
        }
        assertThat(stubs.get(US).calls).hasValue(0);
    }

    @Test
    void fixedContextDataSource_ignoresThreadContext() throws SQLException {
        RegionRoutingDataSource forBob = new RegionRoutingDataSource(connector,
                () -> Optional.of(RegionContext.forUser("bob")), null, "user=bob");
        try (RegionContext.Scope s = RegionContext.forUser("alice").open()) {
            assertThat(regionOf(forBob.getConnection())).isEqualTo("us");
        }
        assertThat(forBob).hasToString("RegionRoutingDataSource[user=bob]");
    }

    @Test
    void currentRegion_reportsTheRoutedRegion() {
        try (RegionContext.Scope s = RegionContext.forUser("chen").open()) {
            assertThat(contextRouted(null).currentRegion()).isEqualTo(AP);
        }
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
