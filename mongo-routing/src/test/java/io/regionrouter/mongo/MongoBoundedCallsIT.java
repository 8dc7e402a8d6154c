package io.regionrouter.mongo;

import com.mongodb.MongoException;
import com.mongodb.MongoSocketReadTimeoutException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.connection.ServerConnectionState;
import io.regionrouter.core.OutcomeUnknownException;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.StaticRegionDirectory;
import io.regionrouter.core.Topology;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.ServerKind;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Every synchronous call ends within its bound, and a write whose outcome is unknown says so, against
 * a region whose MongoDB is partitioned (the proxy freezes: the request is never answered).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MongoBoundedCallsIT {

    @RegisterExtension
    static final LocalRegions REGIONS = LocalRegions.builder().region("eu", ServerKind.MONGO).build();

    private static final Region EU = Region.of("eu");
    private static final Topology TOPOLOGY = Topology.builder().regions("eu").local("eu").primary("eu").build();
    private static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(1);
    /** The bound a call must end within: its operation timeout plus slack for a loaded build machine. */
    private static final Duration BOUND = OPERATION_TIMEOUT.plusSeconds(2);

    private final ExecutorService caller = Executors.newSingleThreadExecutor();
    private RegionHealth health;
    private RegionalMongoClients clients;

    @BeforeEach
    void setUp() {
        try (MongoClient direct = MongoClients.create("mongodb://127.0.0.1:" + REGIONS.region("eu").mongo().directPort())) {
            direct.getDatabase("app").drop();
        }
        health = RegionHealth.builder().build();
        RegionRouter router = RegionRouter.builder(TOPOLOGY).health(health)
                .directory(StaticRegionDirectory.builder().user("bruno", "eu").build()).build();
        // No probe: its pings would open pooled connections of their own, and this test counts them.
        clients = RegionalMongoClients.builder(router)
                .region("eu", REGIONS.region("eu").mongo().connectionString())
                .config(RegionalMongoConfig.builder().database("app").operationTimeout(OPERATION_TIMEOUT).build()).healthProbes(false).build();
    }

    @AfterEach
    void tearDown() {
        caller.shutdownNow();
        REGIONS.resetFaults();
        clients.close();
        health.close();
    }

    /** Runs a call on another thread and returns what it threw, failing if it is still running after the bound. */
    private Throwable failureWithinBound(Callable<?> call) throws InterruptedException {
        Future<?> future = caller.submit(call);
        try {
            future.get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
            return fail("the call succeeded although its region is partitioned");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            future.cancel(true);
            return fail("the call was still running " + BOUND + " after it started; it is not bounded");
        }
    }

    private MongoCollection<Document> brunosProfiles() {
        return clients.forUser("bruno").getCollection("profiles");
    }

    @Test
    void writeSentIntoAPartition_failsWithinItsTimeout_sayingItMayHaveBeenApplied() throws Exception {
        brunosProfiles().insertOne(new Document("_id", 1).append("region", "eu")); // one pooled connection, now idle
        REGIONS.region("eu").mongo().partition();

        Throwable failure = failureWithinBound(() -> brunosProfiles().insertOne(new Document("_id", 2).append("region", "eu")));

        assertThat(failure).isInstanceOf(OutcomeUnknownException.class)
                .hasMessageContaining("insertOne on app.profiles in the eu MongoDB cluster may have been applied")
                .hasRootCauseInstanceOf(java.net.SocketTimeoutException.class);
        assertThat(failure.getCause()).isInstanceOf(MongoTimeoutException.class)
                .hasCauseInstanceOf(MongoSocketReadTimeoutException.class);
        OutcomeUnknownException unknown = (OutcomeUnknownException) failure;
        assertThat(unknown.region()).contains(EU);
        assertThat(unknown.userId()).contains("bruno");
    }

    @Test
    void writeThatFailsBeforeItIsSent_keepsTheDriversException_thoughTheLinkHangs() throws Exception {
        awaitMonitorConnected(); // the server is known, but no operation ever opened a pooled connection
        REGIONS.region("eu").mongo().partition();

        // The insert needs a new connection, whose handshake times out: the insert itself was never sent.
        Throwable failure = failureWithinBound(() -> brunosProfiles().insertOne(new Document("_id", 3).append("region", "eu")));

        assertThat(failure).isInstanceOf(MongoException.class).isNotInstanceOf(OutcomeUnknownException.class);
    }

    @Test
    void readFromAPartition_failsWithinItsTimeout() throws Exception {
        brunosProfiles().insertOne(new Document("_id", 1).append("region", "eu"));
        REGIONS.region("eu").mongo().partition();

        Throwable failure = failureWithinBound(() -> brunosProfiles().find().into(new java.util.ArrayList<>()));

        assertThat(failure).isInstanceOf(MongoTimeoutException.class);
    }

    @Test
    void guardWrappedCollectionOfYourOwnClient_alsoSaysAWriteMayHaveBeenApplied() throws Exception {
        try (MongoClient own = MongoClients.create(REGIONS.region("eu").mongo().connectionString() + "/?timeoutMS="
                + OPERATION_TIMEOUT.toMillis())) {
            MongoCollection<Document> guarded = ResidencyGuard.of(TOPOLOGY, EU)
                    .wrap(own.getDatabase("app").getCollection("profiles"));
            guarded.insertOne(new Document("_id", 1).append("region", "eu"));
            REGIONS.region("eu").mongo().partition();

            Throwable failure = failureWithinBound(() -> guarded.updateOne(new Document("_id", 1),
                    new Document("$set", new Document("total", 3))));

            assertThat(failure).isInstanceOf(OutcomeUnknownException.class)
                    .hasMessageContaining("updateOne on app.profiles in the eu MongoDB cluster may have been applied");
        }
    }

    private void awaitMonitorConnected() throws InterruptedException {
        MongoClient raw = clients.client(EU);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (raw.getClusterDescription().getServerDescriptions().stream()
                .noneMatch(s -> s.getState() == ServerConnectionState.CONNECTED)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the driver's monitor did not connect to eu within 10 s");
            }
            Thread.sleep(20);
        }
    }
}
