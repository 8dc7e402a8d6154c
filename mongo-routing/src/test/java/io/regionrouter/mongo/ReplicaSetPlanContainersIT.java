package io.regionrouter.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.regionrouter.core.Topology;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.mongodb.MongoDBContainer;

/**
 * {@link ReplicaSetPlan#dryRun} and {@link ReplicaSetPlan#apply} against a real replica set in
 * Docker; the testkit's Mongo-wire server refuses replica-set admin commands. Skipped, with a reason,
 * where Docker is not available.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ReplicaSetPlanContainersIT {

    private static final Topology TOPOLOGY = Topology.builder().regions("us", "eu").local("us").primary("us").build();

    private static MongoDBContainer replicaSet;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(dockerAvailable(), "Docker is not available, so ReplicaSetPlan's dryRun and apply against a real"
                + " replica set are skipped (they did not run); ReplicaSetPlanTest covers them on configuration documents");
        replicaSet = new MongoDBContainer("mongo:7.0");
        replicaSet.start();
    }

    @AfterAll
    static void stop() {
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

    @Test
    void dryRun_tagsAndReprioritisesTheLiveSet_andApplyMakesItUpToDate() {
        try (MongoClient client = MongoClients.create(replicaSet.getConnectionString() + "/?directConnection=true")) {
            ReplicaSetAdmin admin = ReplicaSetAdmin.of(client);
            Document live = admin.currentConfig().orElseThrow();
            String host = live.getList("members", Document.class).get(0).getString("host");
            ReplicaSetPlan plan = ReplicaSetPlan.builder(TOPOLOGY).name(live.getString("_id")).member("us", host).globalDataOnly()
                    .acceptMajorityWriteLoss().build();

            ReplicaSetChange dryRun = plan.dryRun(admin);
            assertThat(dryRun.commands()).hasSize(1);
            assertThat(admin.currentConfig().orElseThrow().getInteger("version")).isEqualTo(live.getInteger("version"));

            plan.apply(admin);
            Document after = admin.currentConfig().orElseThrow();
            List<Document> members = after.getList("members", Document.class);
            assertThat(members.get(0).get("tags", Document.class).getString("region")).isEqualTo("us");
            assertThat(plan.dryRun(admin).upToDate()).isTrue();
            assertThat(ReplicaSetSurvivability.of(after).report().toString())
                    .isEqualTo("lose us: 0 votes left, 1 needed, no primary, no writes");
        }
    }
}
