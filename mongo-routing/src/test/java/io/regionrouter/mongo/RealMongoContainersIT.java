package io.regionrouter.mongo;

import com.mongodb.MongoClientSettings;
import com.mongodb.ConnectionString;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.RegionUnavailableException;
import io.regionrouter.core.StaticRegionDirectory;
import io.regionrouter.core.Topology;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.mongodb.MongoDBContainer;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Behaviour that mongo-java-server cannot show, against real MongoDB in Docker: replica-set member
 * tags reported by a real {@code hello}, majority/journaled write concerns, and zone-sharding
 * commands on a real {@code mongos}. Skipped, with a reason, where Docker is not available.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RealMongoContainersIT {

    private static final String IMAGE = "mongo:7.0";
    private static final Topology TOPOLOGY = Topology.builder().regions("us", "eu", "ap").local("us").primary("us").build();

    private static MongoDBContainer replicaSet;
    private static MongoDBContainer sharded;

    @BeforeAll
    static void startContainers() {
        Assumptions.assumeTrue(dockerAvailable(), "Docker is not available, so the real replica-set and "
                + "zone-sharding tests are skipped (they did not run); the testkit ITs and unit tests still ran");
        replicaSet = new MongoDBContainer(IMAGE);
        replicaSet.start();
        tagOnlyMember(replicaSet.getConnectionString(), "us");
        sharded = new MongoDBContainer(IMAGE).withSharding();
        sharded.start();
    }

    @AfterAll
    static void stopContainers() {
        if (sharded != null) {
            sharded.stop();
        }
        if (replicaSet != null) {
            replicaSet.stop();
        }
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Gives the single member of the container's replica set the tag {region: <region>}. */
    private static void tagOnlyMember(String uri, String region) {
        try (MongoClient admin = MongoClients.create(uri)) {
            Document config = admin.getDatabase("admin").runCommand(new Document("replSetGetConfig", 1))
                    .get("config", Document.class);
            List<Document> members = config.getList("members", Document.class);
            members.get(0).put("tags", new Document("region", region));
            config.put("version", config.getInteger("version") + 1);
            admin.getDatabase("admin").runCommand(new Document("replSetReconfig", config));
        }
    }

    private static MongoClientSettings.Builder settings(String uri) {
        return MongoClientSettings.builder().applyConnectionString(new ConnectionString(uri))
                .applyToClusterSettings(c -> c.serverSelectionTimeout(10, TimeUnit.SECONDS));
    }

    @Test
    void selector_readsRealMemberTags_andFailsClosedForRegionsNotAllowed() {
        RegionAwareServerSelector usData = RegionAwareServerSelector.regulated(TOPOLOGY, Region.of("us"));
        RegionAwareServerSelector euData = RegionAwareServerSelector.regulated(TOPOLOGY, Region.of("eu"));

        try (MongoClient allowed = MongoClients.create(usData.applyTo(settings(replicaSet.getConnectionString())).build())) {
            allowed.getDatabase("app").getCollection("c").insertOne(new Document("_id", 1).append("region", "us"));
            assertThat(allowed.getDatabase("app").getCollection("c").countDocuments()).isEqualTo(1);
        }
        try (MongoClient refused = MongoClients.create(euData.applyTo(settings(replicaSet.getConnectionString())).build())) {
            assertThatThrownBy(() -> refused.getDatabase("app").getCollection("c").find().first())
                    .isInstanceOf(RegionUnavailableException.class)
                    .hasMessageContaining("(region us)");
        }
    }

    @Test
    void regionalClients_defaultMajorityJournaledWrites_areAcknowledgedByARealReplicaSet() {
        RegionRouter router = RegionRouter.builder(TOPOLOGY)
                .directory(StaticRegionDirectory.builder().user("alice", "us").build()).build();
        try (RegionalMongoClients clients = RegionalMongoClients.builder(router).healthProbes(false)
                .region("us", replicaSet.getReplicaSetUrl("app")).build()) {
            var result = clients.forUser("alice").getCollection("profiles")
                    .insertOne(new Document("name", "alice").append("region", "us"));

            assertThat(result.wasAcknowledged()).isTrue();
            assertThat(clients.forUser("alice").getCollection("profiles").find(Filters.eq("name", "alice")).first())
                    .isNotNull();
        } finally {
            router.health().close();
        }
    }

    @Test
    void zoneSharding_onRealMongos_appliesOnceThenFindsEverythingInPlace() {
        try (MongoClient mongos = MongoClients.create(sharded.getReplicaSetUrl())) {
            ShardingAdmin admin = ShardingAdmin.of(mongos);
            String shard = admin.readConfig("shards", new Document()).get(0).getString("_id");
            // One shard only in this container: it joins every region's zone.
            ZoneSharding zones = ZoneSharding.builder(TOPOLOGY).shard("us", shard).shard("eu", shard).shard("ap", shard).build();

            ZoneShardingPlan first = zones.apply(admin, "app.users", "userId");
            ZoneShardingPlan second = zones.apply(admin, "app.users", "userId");

            assertThat(first.commands()).hasSize(7);
            assertThat(second.upToDate()).isTrue();
            assertThat(admin.readConfig("tags", new Document("ns", "app.users"))).hasSize(3);
            assertThat(admin.readConfig("shards", new Document("_id", shard)).get(0).getList("tags", String.class))
                    .contains("us", "eu", "ap");
            Document key = admin.readConfig("collections", new Document("_id", "app.users")).get(0).get("key", Document.class);
            assertThat(key).isEqualTo(new Document("region", 1).append("userId", 1));
        }
    }
}
