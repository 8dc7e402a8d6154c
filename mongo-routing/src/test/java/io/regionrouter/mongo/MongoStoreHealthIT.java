package io.regionrouter.mongo;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoServerException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.regionrouter.core.Access;
import io.regionrouter.core.HealthConfig;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionContext;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.RegionState;
import io.regionrouter.core.RegionStateChangedEvent;
import io.regionrouter.core.RegionUnavailableException;
import io.regionrouter.core.StaticRegionDirectory;
import io.regionrouter.core.Store;
import io.regionrouter.core.Topology;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.ServerKind;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Health per (region, store) with one RegionHealth shared by several stores, as the README wires it:
 * another store's verdict never moves a MongoDB call, and only "could not reach" or "did not answer"
 * counts against MongoDB. The other store is a probe registered under {@link Store#POSTGRES}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MongoStoreHealthIT {

    @RegisterExtension
    static final LocalRegions REGIONS = LocalRegions.builder()
            .region("us", ServerKind.MONGO)
            .region("eu", ServerKind.MONGO)
            .build();

    private static final Region US = Region.of("us");
    private static final Region EU = Region.of("eu");
    // local us; eu data may be read from a copy in us, but written only in eu
    private static final Topology TOPOLOGY = Topology.builder()
            .regions("us", "eu").local("us").primary("us").residency("eu", "us").build();

    private final List<RegionStateChangedEvent> changes = new CopyOnWriteArrayList<>();
    private RegionHealth health;
    private RegionRouter router;
    private RegionalMongoClients clients;

    @BeforeEach
    void setUp() {
        for (String name : REGIONS.names()) {
            try (MongoClient direct = direct(name)) {
                direct.getDatabase("app").drop();
            }
        }
        // default call window (20 calls, 50 %); quick probes
        useHealth(HealthConfig.builder().interval(Duration.ofMillis(300)).timeout(Duration.ofMillis(300))
                .failureThreshold(2).successThreshold(1).build());
        clients = clientsBuilder(REGIONS.region("eu").mongo().connectionString()).build();
    }

    /** A fresh RegionHealth and router; close the clients first. */
    private void useHealth(HealthConfig config) {
        if (health != null) {
            health.close();
        }
        health = RegionHealth.builder().config(config)
                .listener(event -> {
                    if (event instanceof RegionStateChangedEvent change) {
                        changes.add(change);
                    }
                })
                .build();
        router = RegionRouter.builder(TOPOLOGY).health(health)
                .directory(StaticRegionDirectory.builder().user("alice", "us").user("bruno", "eu").build())
                .build();
    }

    private RegionalMongoClients.Builder clientsBuilder(String euConnectionString) {
        return RegionalMongoClients.builder(router).config(RegionalMongoConfig.builder().database("app").build())
                .region("us", REGIONS.region("us").mongo().connectionString())
                .region("eu", euConnectionString);
    }

    @AfterEach
    void tearDown() {
        if (clients != null) {
            clients.close();
        }
        health.close();
        health = null;
        REGIONS.resetFaults();
    }

    private static MongoClient direct(String region) {
        return MongoClients.create("mongodb://127.0.0.1:" + REGIONS.region(region).mongo().directPort());
    }

    private static List<String> namesStoredIn(String region) {
        try (MongoClient direct = direct(region)) {
            List<String> names = new ArrayList<>();
            direct.getDatabase("app").getCollection("profiles").find().forEach(d -> names.add(d.getString("name")));
            return names;
        }
    }

    private void awaitState(Region region, Store store, RegionState wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (health.state(region, store) != wanted) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(region + "/" + store + " did not become " + wanted + " within 20 s");
            }
            Thread.sleep(20);
        }
    }

    private List<RegionStateChangedEvent> mongoChanges() {
        return changes.stream().filter(c -> c.store().equals(Store.MONGO)).toList();
    }

    @Test
    void postgresDownInEu_mongoCallsForEuUsersStillGoToEu_andMongoStaysUp() throws Exception {
        health.register(EU, Store.POSTGRES, timeout -> {
            throw new IOException("eu PostgreSQL refused the connection");
        });
        awaitState(EU, Store.POSTGRES, RegionState.DOWN);

        clients.forUser("bruno").getCollection("profiles").insertOne(new Document("name", "bruno").append("region", "eu"));
        assertThat(clients.forUser("bruno", Access.READ).getCollection("profiles")
                .find(Filters.eq("name", "bruno")).first()).isNotNull();
        try (RegionContext.Scope scope = RegionContext.forUser("bruno").open()) {
            clients.forCurrentContext().getCollection("profiles")
                    .insertOne(new Document("name", "bruno-ctx").append("region", "eu"));
        }

        assertThat(namesStoredIn("eu")).containsExactly("bruno", "bruno-ctx");
        assertThat(namesStoredIn("us")).isEmpty();
        assertThat(health.isUp(EU, Store.MONGO)).isTrue();
        assertThat(health.describe(EU)).isEqualTo("eu: mongo UP, postgres DOWN");
        assertThat(mongoChanges()).isEmpty();
    }

    @Test
    void mongoPartitionedInEu_takesOnlyMongoDown_whileAPassingPostgresProbeStaysUp() throws Exception {
        AtomicInteger postgresProbes = new AtomicInteger();
        health.register(EU, Store.POSTGRES, timeout -> postgresProbes.incrementAndGet());
        clients.forUser("bruno").getCollection("profiles").insertOne(new Document("name", "bruno").append("region", "eu"));

        REGIONS.region("eu").mongo().partition();
        awaitState(EU, Store.MONGO, RegionState.DOWN);

        assertThat(health.state(EU, Store.POSTGRES)).isEqualTo(RegionState.UP);
        assertThat(postgresProbes.get()).isPositive();
        assertThat(changes).allSatisfy(c -> assertThat(c.store()).isEqualTo(Store.MONGO));
        assertThat(health.describe(EU)).isEqualTo("eu: mongo DOWN, postgres UP");
        // writes of eu data do not fall back to the read-only copy in us; reads may
        assertThatThrownBy(() -> clients.forUser("bruno")).isInstanceOf(RegionUnavailableException.class)
                .hasMessageContaining("mongo is DOWN");
        assertThat(clients.forUser("bruno", Access.READ).getCollection("profiles")
                .find(Filters.eq("name", "bruno")).first()).isNull(); // us holds no copy in this test

        REGIONS.region("eu").mongo().heal();
        awaitState(EU, Store.MONGO, RegionState.UP);
        assertThat(clients.forUser("bruno").getCollection("profiles").countDocuments()).isEqualTo(1);
    }

    @Test
    void twentyServerErrorReplies_concurrently_leaveTheStoreUp() throws Exception {
        clients.forUser("bruno").getCollection("profiles").insertOne(new Document("_id", 1).append("region", "eu"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Throwable>> results = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                boolean duplicate = i % 2 == 0;
                results.add(pool.submit(() -> {
                    try {
                        if (duplicate) {
                            clients.forUser("bruno").getCollection("profiles")
                                    .insertOne(new Document("_id", 1).append("region", "eu"));
                        } else {
                            // a read-only command the guard lets through and the server refuses (mongo-java-server
                            // does not know it; a real server runs it only against admin): an error reply
                            clients.forUser("bruno").runCommand(new Document("getParameter", 1));
                        }
                        return null;
                    } catch (RuntimeException e) {
                        return e;
                    }
                }));
            }
            for (Future<Throwable> result : results) {
                assertThat(result.get(30, TimeUnit.SECONDS))
                        .isInstanceOfAny(MongoWriteException.class, MongoCommandException.class)
                        .isInstanceOf(MongoServerException.class);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(health.state(EU, Store.MONGO)).isEqualTo(RegionState.UP);
        assertThat(mongoChanges()).isEmpty();
        assertThat(clients.forUser("bruno").getCollection("profiles").countDocuments()).isEqualTo(1);
    }

    @Test
    void rejectedCredentials_areAnAnswer_failedCallsLeaveTheStoreUp() throws Exception {
        clients.close();
        // The driver sets the server aside for about a second after each rejected handshake, so fewer calls
        // judge here: 5, all failed, would trip a window of at least 5 calls.
        useHealth(health.config().toBuilder().minimumCalls(5).build());
        // Only real calls judge here: the ping probe shares the rejected credentials (see MongoHealthProbe).
        health.register(EU, Store.MONGO, timeout -> { });
        // mongo-java-server answers the authentication handshake with an error reply (no such command: saslStart)
        var eu = REGIONS.region("eu").mongo();
        clients = clientsBuilder("mongodb://app:rotated@" + eu.host() + ":" + eu.port() + "/app").healthProbes(false).build();

        MongoCollection<Document> profiles = clients.forUser("bruno").getCollection("profiles");
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> profiles.insertOne(new Document("name", "bruno").append("region", "eu")))
                    .isInstanceOf(MongoSecurityException.class);
        }

        assertThat(health.state(EU, Store.MONGO)).isEqualTo(RegionState.UP);
        assertThat(mongoChanges()).isEmpty();
    }

    @Test
    void exhaustedPool_whileTheServerAnswers_isNotAnOutage() throws Exception {
        clients.close();
        REGIONS.region("eu").mongo().delay(Duration.ofMillis(20)); // each call holds the one connection ~40 ms
        // No probe of ours: a ping waiting for the one pooled connection could fail on its own (see MongoHealthProbe).
        health.register(EU, Store.MONGO, timeout -> { });
        clients = clientsBuilder(REGIONS.region("eu").mongo().connectionString()).healthProbes(false)
                .config(RegionalMongoConfig.builder().database("app").operationTimeout(null).build()) // so that the pool's own wait applies, not timeoutMS
                .settings((region, s) -> s.applyToConnectionPoolSettings(p -> p.maxSize(1)
                        .maxWaitTime(10, TimeUnit.MILLISECONDS)))
                .build();
        clients.forUser("bruno").getCollection("profiles").insertOne(new Document("name", "bruno").append("region", "eu"));

        AtomicInteger poolTimeouts = new AtomicInteger();
        AtomicInteger calls = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 8; i++) {
                        calls.incrementAndGet();
                        try {
                            clients.forUser("bruno", Access.READ).getCollection("profiles").find().first();
                        } catch (MongoTimeoutException e) {
                            assertThat(e).hasMessageContaining("while waiting for a connection");
                            poolTimeouts.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(calls.get()).isEqualTo(64);
        assertThat(poolTimeouts.get()).as("pool timeouts of 64 calls").isGreaterThanOrEqualTo(40);
        assertThat(health.state(EU, Store.MONGO)).isEqualTo(RegionState.UP);
        assertThat(mongoChanges()).isEmpty();
    }
}
