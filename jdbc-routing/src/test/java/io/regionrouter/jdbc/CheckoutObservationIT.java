package io.regionrouter.jdbc;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.observation.tck.TestObservationRegistry;
import io.regionrouter.core.RegionContext;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.StaticRegionDirectory;
import io.regionrouter.core.Topology;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.PostgresServer;
import io.regionrouter.testkit.ServerKind;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each getConnection() of the routing data source is one observation, with the routing decision inside it. */
@SuppressWarnings("try")
class CheckoutObservationIT {

    @RegisterExtension
    static final LocalRegions REGIONS = LocalRegions.builder().region("us", ServerKind.POSTGRES).region("eu", ServerKind.POSTGRES)
            .build();

    private static final Topology TOPOLOGY = Topology.builder().regions("us", "eu").local("us").primary("us").residency("eu", "eu")
            .build();

    private static RegionPoolConfig pool(String region) {
        PostgresServer server = REGIONS.region(region).postgres();
        return RegionPoolConfig.builder().allowPlaintext(true).jdbcUrl(server.jdbcUrl()).username(server.appUser())
                .password(server.appPassword()).maximumPoolSize(1).build();
    }

    @Test
    void aCheckout_isObserved_withTheRoutingDecisionAsItsChild() throws SQLException {
        TestObservationRegistry observations = TestObservationRegistry.create();
        try (RegionHealth health = RegionHealth.builder().build()) {
            RegionRouter router = RegionRouter.builder(TOPOLOGY).health(health).observationRegistry(observations)
                    .directory(StaticRegionDirectory.builder().user("alice", "eu").build()).build();
            try (RegionalDataSources pg = RegionalDataSources.builder(router).region("us", pool("us")).region("eu", pool("eu")).build()) {
                try (RegionContext.Scope scope = RegionContext.forUser("alice").open(); Connection c = pg.routingDataSource().getConnection()) {
                    c.isValid(2);
                }
                try (RegionContext.Scope scope = RegionContext.forRegion(io.regionrouter.core.Region.of("us")).open()) {
                    RegionContext.Scope inner = RegionContext.of("alice", io.regionrouter.core.Region.of("us")).open();
                    try (inner) {
                        assertThatThrownBy(() -> pg.routingDataSource().getConnection()).isInstanceOf(ResidencyViolationSQLException.class);
                    }
                }
            }
        }

        assertThat(observations).hasNumberOfObservationsWithNameEqualTo("region.router.jdbc.checkout", 2)
                .hasAnObservation(o -> o.hasNameEqualTo("region.router.jdbc.checkout").hasContextualNameEqualTo("checkout postgres")
                        .hasLowCardinalityKeyValue("region.router.region", "eu").hasLowCardinalityKeyValue("region.router.outcome", "ok"))
                .hasAnObservation(o -> o.hasNameEqualTo("region.router.jdbc.checkout")
                        .hasLowCardinalityKeyValue("region.router.outcome", "refused").hasError())
                .hasAnObservation(o -> o.hasNameEqualTo("region.router.route").hasLowCardinalityKeyValue("region.router.region", "eu")
                        .hasParentObservationContextMatching(parent -> parent instanceof CheckoutObservationContext));
    }
}
