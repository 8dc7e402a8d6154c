package io.regionrouter.mongo;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.regionrouter.core.HealthConfig;
import io.regionrouter.core.MdcObservationHandler;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.StaticRegionDirectory;
import io.regionrouter.core.Topology;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.ServerKind;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.helpers.BasicMDCAdapter;

/** Each call of a routed database that talks to the server is one observation, in the region that served it. */
class MongoObservationIT {

    @RegisterExtension
    static final LocalRegions REGIONS = LocalRegions.builder().region("us", ServerKind.MONGO).region("eu", ServerKind.MONGO).build();

    @Test
    void routedCalls_areObservedInTheirRegion_withTheirScopeOpen() {
        TestObservationRegistry observations = TestObservationRegistry.create();
        BasicMDCAdapter mdc = new BasicMDCAdapter();
        List<String> mdcDuringCalls = new CopyOnWriteArrayList<>();
        observations.observationConfig().observationHandler(new MdcObservationHandler(mdc));
        observations.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }

            @Override
            public void onScopeOpened(Observation.Context context) {
                mdcDuringCalls.add(mdc.get("region.router.region") + " " + mdc.get("region.router.store"));
            }
        });
        Topology topology = Topology.builder().regions("us", "eu").local("us").primary("us").residency("eu", "eu").build();
        try (RegionHealth health = RegionHealth.builder().config(HealthConfig.builder().interval(Duration.ofSeconds(30))
                .timeout(Duration.ofSeconds(2)).build()).build()) {
            RegionRouter router = RegionRouter.builder(topology).health(health).observationRegistry(observations)
                    .directory(StaticRegionDirectory.builder().user("bruno", "eu").build()).build();
            RegionalMongoClients.Builder b = RegionalMongoClients.builder(router).config(RegionalMongoConfig.builder().database("app").build());
            for (String name : REGIONS.names()) {
                b.region(name, REGIONS.region(name).mongo().connectionString());
            }
            try (RegionalMongoClients clients = b.build()) {
                var profiles = clients.forUser("bruno").getCollection("profiles");
                profiles.insertOne(new Document("_id", "bruno-obs").append("region", "eu").append("name", "Bruno"));
                assertThat(profiles.find().first()).isNotNull();
                assertThat(profiles.countDocuments()).isEqualTo(1);
                profiles.deleteMany(new Document());
            }
        }

        assertThat(observations).hasNumberOfObservationsWithNameEqualTo("region.router.mongo.call", 4)
                .hasAnObservation(o -> o.hasNameEqualTo("region.router.mongo.call").hasContextualNameEqualTo("insertOne mongo")
                        .hasLowCardinalityKeyValue("region.router.region", "eu").hasLowCardinalityKeyValue("region.router.store", "mongo")
                        .hasLowCardinalityKeyValue("region.router.outcome", "ok"))
                .hasAnObservation(o -> o.hasNameEqualTo("region.router.mongo.call")
                        .hasLowCardinalityKeyValue("region.router.mongo.operation", "first"))
                .hasAnObservation(o -> o.hasNameEqualTo("region.router.mongo.call")
                        .hasLowCardinalityKeyValue("region.router.mongo.operation", "countDocuments"));
        assertThat(mdcDuringCalls).containsOnly("eu mongo").hasSize(4);
        assertThat(mdc.getCopyOfContextMap()).isNullOrEmpty();
    }
}
