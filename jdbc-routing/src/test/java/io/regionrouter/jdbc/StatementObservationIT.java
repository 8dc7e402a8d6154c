package io.regionrouter.jdbc;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.regionrouter.core.MdcObservationHandler;
import io.regionrouter.core.RegionContext;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.StaticRegionDirectory;
import io.regionrouter.core.Topology;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.PostgresServer;
import io.regionrouter.testkit.ServerKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.helpers.BasicMDCAdapter;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each statement run on a connection of the routing data source is one observation, with its kind and never its text. */
@SuppressWarnings("try")
class StatementObservationIT {

    @RegisterExtension
    static final LocalRegions REGIONS = LocalRegions.builder().region("us", ServerKind.POSTGRES).region("eu", ServerKind.POSTGRES)
            .build();

    private static final Topology TOPOLOGY = Topology.builder().regions("us", "eu").local("us").primary("us").residency("eu", "eu")
            .build();

    private static final String SECRET_VALUE = "value-only-in-the-sql-text-7f3a";

    private static RegionPoolConfig pool(String region) {
        PostgresServer server = REGIONS.region(region).postgres();
        return RegionPoolConfig.builder().allowPlaintext(true).jdbcUrl(server.jdbcUrl()).username(server.appUser())
                .password(server.appPassword()).maximumPoolSize(1).build();
    }

    @Test
    void statements_areObservedInTheirRegion_withTheirKindOnly() throws SQLException {
        TestObservationRegistry observations = TestObservationRegistry.create();
        List<Observation.Context> stopped = new ArrayList<>();
        BasicMDCAdapter mdc = new BasicMDCAdapter();
        List<String> mdcWhileRunning = new ArrayList<>();
        observations.observationConfig().observationHandler(new MdcObservationHandler(mdc));
        observations.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }

            @Override
            public void onScopeOpened(Observation.Context context) {
                if (context instanceof StatementObservationContext) {
                    mdcWhileRunning.add(mdc.get("region.router.region") + " " + mdc.get("region.router.store"));
                }
            }

            @Override
            public void onStop(Observation.Context context) {
                stopped.add(context);
            }
        });
        try (RegionHealth health = RegionHealth.builder().build()) {
            RegionRouter router = RegionRouter.builder(TOPOLOGY).health(health).observationRegistry(observations)
                    .directory(StaticRegionDirectory.builder().user("alice", "eu").build()).build();
            try (RegionalDataSources pg = RegionalDataSources.builder(router).region("us", pool("us")).region("eu", pool("eu")).build();
                    RegionContext.Scope scope = RegionContext.forUser("alice").open();
                    Connection c = pg.routingDataSource().getConnection()) {
                try (PreparedStatement ps = c.prepareStatement("  select ? as v")) {
                    ps.setString(1, SECRET_VALUE);
                    ps.executeQuery().close();
                }
                try (Statement st = c.createStatement()) {
                    st.execute("SELECT '" + SECRET_VALUE + "'");
                    assertThatThrownBy(() -> st.executeQuery("SELECT * FROM no_such_table_" + "x")).isInstanceOf(SQLException.class);
                    st.addBatch("SELECT 1");
                    st.executeBatch();
                }
            }
        }

        assertThat(observations).hasNumberOfObservationsWithNameEqualTo("region.router.jdbc.statement", 4)
                .hasAnObservation(o -> o.hasNameEqualTo("region.router.jdbc.statement").hasContextualNameEqualTo("SELECT postgres")
                        .hasLowCardinalityKeyValue("region.router.region", "eu").hasLowCardinalityKeyValue("region.router.store", "postgres")
                        .hasLowCardinalityKeyValue("region.router.outcome", "ok").hasHighCardinalityKeyValue("region.router.sql.kind", "SELECT")
                        .hasParentObservationContextMatching(parent -> parent instanceof CheckoutObservationContext))
                .hasAnObservation(o -> o.hasNameEqualTo("region.router.jdbc.statement")
                        .hasLowCardinalityKeyValue("region.router.outcome", "error").hasError())
                .hasAnObservation(o -> o.hasNameEqualTo("region.router.jdbc.statement")
                        .hasHighCardinalityKeyValue("region.router.sql.kind", "BATCH"));
        List<KeyValue> all = new ArrayList<>();
        assertThat(stopped).hasSizeGreaterThanOrEqualTo(4);
        assertThat(mdcWhileRunning).containsExactly("eu postgres", "eu postgres", "eu postgres", "eu postgres");
        assertThat(mdc.getCopyOfContextMap()).isNullOrEmpty();
        stopped.forEach(context -> {
            context.getAllKeyValues().forEach(all::add);
            assertThat(String.valueOf(context.getContextualName())).doesNotContain(SECRET_VALUE);
        });
        assertThat(all).allSatisfy(kv -> assertThat(kv.getValue()).doesNotContain(SECRET_VALUE).doesNotContain("no_such_table"));
    }

    @Test
    void aStatement_isAChildOfTheObservationCurrentWhenItRuns() throws SQLException {
        TestObservationRegistry observations = TestObservationRegistry.create();
        try (RegionHealth health = RegionHealth.builder().build()) {
            RegionRouter router = RegionRouter.builder(TOPOLOGY).health(health).observationRegistry(observations)
                    .directory(StaticRegionDirectory.builder().user("alice", "eu").build()).build();
            try (RegionalDataSources pg = RegionalDataSources.builder(router).region("us", pool("us")).region("eu", pool("eu")).build()) {
                Observation request = Observation.start("request", observations);
                try (Observation.Scope outer = request.openScope(); RegionContext.Scope scope = RegionContext.forUser("alice").open();
                        Connection c = pg.routingDataSource().getConnection(); Statement st = c.createStatement()) {
                    st.executeUpdate("CREATE TEMP TABLE t (v int)");
                } finally {
                    request.stop();
                }
            }
        }

        assertThat(observations).hasAnObservation(o -> o.hasNameEqualTo("region.router.jdbc.statement")
                .hasHighCardinalityKeyValue("region.router.sql.kind", "CREATE")
                .hasParentObservationContextMatching(parent -> "request".equals(((Observation.ContextView) parent).getName())))
                .hasAnObservation(o -> o.hasNameEqualTo("region.router.jdbc.checkout")
                        .hasParentObservationContextMatching(parent -> "request".equals(((Observation.ContextView) parent).getName())));
    }
}
