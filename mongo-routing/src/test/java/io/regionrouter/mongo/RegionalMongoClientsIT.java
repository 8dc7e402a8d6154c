package io.regionrouter.mongo;

import java.util.Map;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import io.regionrouter.core.DataClass;
import io.regionrouter.core.HealthConfig;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionContext;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.RegionState;
import io.regionrouter.core.RegionUnavailableException;
import io.regionrouter.core.ResidencyViolationException;
import io.regionrouter.core.StaticRegionDirectory;
import io.regionrouter.core.Store;
import io.regionrouter.core.Topology;
import io.regionrouter.testkit.LocalRegion;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.ServerKind;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Routing, guard, fallback and fail-closed behaviour against one mongo-java-server per region. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RegionalMongoClientsIT {

    @RegisterExtension
    static final LocalRegions REGIONS = LocalRegions.builder()
            .region("us", ServerKind.MONGO)
            .region("eu", ServerKind.MONGO)
            .region("ap", ServerKind.MONGO)
            .build();

    private static final Region US = Region.of("us");
    private static final Region EU = Region.of("eu");
    private static final Region AP = Region.of("ap");

    // local us; eu data may fail over to us; ap data stays in ap
    private static final Topology TOPOLOGY = Topology.builder()
            .regions("us", "eu", "ap").local("us").primary("us")
            .proximity("us", "eu", "ap").proximity("eu", "us", "ap").proximity("ap", "us", "eu")
            .residency("eu", "us")
            .build();

    private final List<String> sentCommands = new CopyOnWriteArrayList<>();
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
        health = RegionHealth.builder().config(HealthConfig.builder().interval(Duration.ofMillis(300))
                .timeout(Duration.ofMillis(300)).failureThreshold(2).successThreshold(1).build()).build();
        router = RegionRouter.builder(TOPOLOGY).health(health)
                .directory(StaticRegionDirectory.builder().user("alice", "us").user("bruno", "eu").user("chen", "ap").build())
                .build();
        clients = clientsBuilder().build();
    }

    private RegionalMongoClients.Builder clientsBuilder() {
        RegionalMongoClients.Builder b = RegionalMongoClients.builder(router).config(RegionalMongoConfig.builder().database("app").build())
                .settings((region, s) -> s.addCommandListener(new CommandListener() {
                    @Override
                    public void commandStarted(CommandStartedEvent event) {
                        // the health probe's ping shares the client and may run at any moment
                        if (!"ping".equals(event.getCommandName())) {
                            sentCommands.add(region + ":" + event.getCommandName());
                        }
                    }
                }));
        for (String name : REGIONS.names()) {
            b.region(name, REGIONS.region(name).mongo().connectionString());
        }
        return b;
    }

    @AfterEach
    void tearDown() {
        if (clients != null) {
            clients.close();
        }
        if (health != null) {
            health.close();
        }
        for (LocalRegion region : REGIONS.regions()) {
            if (!region.mongo().isRunning()) {
                region.restart();
            }
        }
        REGIONS.resetFaults();
    }

    /** A client straight to the server's own port, bypassing routing and the proxy. */
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

    private static void awaitState(RegionHealth health, Region region, RegionState wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (health.state(region, Store.MONGO) != wanted) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(region + " did not become " + wanted + " within 20 s");
            }
            Thread.sleep(50);
        }
    }

    @Test
    void forUser_routesEachUserToHomeCluster_checkedOnEachServerDirectly() {
        for (String[] user : new String[][] {{"alice", "us"}, {"bruno", "eu"}, {"chen", "ap"}}) {
            clients.forUser(user[0]).getCollection("profiles")
                    .insertOne(new Document("name", user[0]).append("region", user[1]));
        }

        assertThat(namesStoredIn("us")).containsExactly("alice");
        assertThat(namesStoredIn("eu")).containsExactly("bruno");
        assertThat(namesStoredIn("ap")).containsExactly("chen");
        assertThat(clients.forUser("bruno").getCollection("profiles").find(Filters.eq("name", "bruno")).first())
                .isNotNull();
    }

    @Test
    void forCurrentContext_routesRegulatedContextToHomeCluster() {
        RegionContext.Scope scope = RegionContext.forUser("chen").open();
        try {
            clients.forCurrentContext().getCollection("profiles").insertOne(new Document("name", "chen").append("region", "ap"));
        } finally {
            scope.close();
        }
        assertThat(RegionContext.current()).isEmpty();

        assertThat(namesStoredIn("ap")).containsExactly("chen");
        assertThat(namesStoredIn("us")).isEmpty();
    }

    @Test
    void guard_rejectsWrongOrMissingRegion_beforeAnythingIsSent() {
        MongoCollection<Document> euProfiles = clients.forUser("bruno").getCollection("profiles");
        sentCommands.clear();

        assertThatThrownBy(() -> euProfiles.insertOne(new Document("name", "x").append("region", "us")))
                .isInstanceOf(DocumentResidencyException.class).hasMessageContaining("data homed in us");
        assertThatThrownBy(() -> euProfiles.insertOne(new Document("name", "x")))
                .isInstanceOf(DocumentResidencyException.class).hasMessageContaining("missing");
        assertThatThrownBy(() -> euProfiles.insertMany(List.of(
                new Document("name", "ok").append("region", "eu"), new Document("name", "bad").append("region", "ap"))))
                .isInstanceOf(DocumentResidencyException.class);
        assertThatThrownBy(() -> euProfiles.replaceOne(Filters.eq("name", "bruno"), new Document("name", "bruno")))
                .isInstanceOf(DocumentResidencyException.class);
        assertThatThrownBy(() -> euProfiles.findOneAndReplace(Filters.eq("name", "bruno"),
                new Document("name", "bruno").append("region", "ap"))).isInstanceOf(DocumentResidencyException.class);
        assertThatThrownBy(() -> euProfiles.bulkWrite(List.of(
                new InsertOneModel<>(new Document("name", "ok").append("region", "eu")),
                new ReplaceOneModel<>(Filters.eq("name", "y"), new Document("name", "y").append("region", "us")))))
                .isInstanceOf(DocumentResidencyException.class);
        assertThatThrownBy(() -> euProfiles.withWriteConcern(com.mongodb.WriteConcern.W1)
                .insertOne(new Document("name", "x").append("region", "ap")))
                .isInstanceOf(DocumentResidencyException.class);
        assertThatThrownBy(() -> euProfiles.updateOne(Filters.eq("name", "bruno"),
                com.mongodb.client.model.Updates.set("region", "ap"))).isInstanceOf(DocumentResidencyException.class);
        assertThatThrownBy(() -> euProfiles.bulkWrite(List.of(new com.mongodb.client.model.UpdateManyModel<>(
                Filters.eq("name", "bruno"), com.mongodb.client.model.Updates.unset("region")))))
                .isInstanceOf(DocumentResidencyException.class);

        assertThat(sentCommands).isEmpty();
        assertThat(namesStoredIn("eu")).isEmpty();
    }

    @Test
    void guard_acceptsDocumentsWritableInTheTargetCluster() {
        clients.forRegion(EU).getCollection("profiles").insertOne(new Document("name", "bruno").append("region", "eu"));
        clients.forUser("alice").getCollection("profiles").replaceOne(Filters.eq("name", "nobody"),
                new Document("name", "alice").append("region", "us"), new com.mongodb.client.model.ReplaceOptions().upsert(true));

        assertThat(namesStoredIn("eu")).containsExactly("bruno");
        assertThat(namesStoredIn("us")).containsExactly("alice");
    }

    private void seedProducts() {
        for (String name : REGIONS.names()) {
            try (MongoClient direct = direct(name)) {
                direct.getDatabase("app").getCollection("products").insertOne(new Document("_id", 7).append("copy", name));
            }
        }
    }

    private String readProductCopy() {
        return clients.readGlobal(db -> db.getCollection("products").find(Filters.eq("_id", 7)).first()).getString("copy");
    }

    @Test
    void globalRead_servedLocally_thenFallsBackByProximity_whenLocalRegionIsKilled() throws Exception {
        seedProducts();
        assertThat(readProductCopy()).isEqualTo("us");

        REGIONS.region("us").kill();

        assertThat(readProductCopy()).isEqualTo("eu"); // first call may pay the failure, then falls back
        awaitState(health, US, RegionState.DOWN);
        assertThat(clients.forGlobalRead().getCollection("products").find().first().getString("copy")).isEqualTo("eu");
    }

    @Test
    void globalRead_partitionedRegion_onceDown_isSkippedWithoutWaitingForTimeouts() throws Exception {
        clients.close();
        // Long timeouts: if a DOWN region were still contacted, every call below would wait 30 s.
        clients = clientsBuilder().config(RegionalMongoConfig.builder().database("app").serverSelectionTimeout(Duration.ofSeconds(30))
                .operationTimeout(Duration.ofSeconds(30)).build()).build();
        seedProducts();
        assertThat(readProductCopy()).isEqualTo("us");

        REGIONS.region("us").partition();
        awaitState(health, US, RegionState.DOWN);

        assertThat(router.route(Store.MONGO, null, DataClass.GLOBAL, io.regionrouter.core.Access.READ)).isEqualTo(EU);
        var regionsTried = new java.util.concurrent.atomic.AtomicInteger();
        for (int i = 0; i < 20; i++) {
            String copy = clients.readGlobal(db -> {
                regionsTried.incrementAndGet();
                return db.getCollection("products").find(Filters.eq("_id", 7)).first();
            }).getString("copy");
            assertThat(copy).isEqualTo("eu");
            // us is not tried at all, so no call waits for its timeouts: each read runs once, in eu
            assertThat(regionsTried.getAndSet(0)).as("regions the read ran in").isEqualTo(1);
            assertThat(clients.forGlobalRead().getCollection("products").find().first().getString("copy")).isEqualTo("eu");
        }

        REGIONS.region("us").heal();
        awaitState(health, US, RegionState.UP);
        assertThat(readProductCopy()).isEqualTo("us");
    }

    @Test
    void regulated_failsClosed_whenNoAllowedRegionIsUp() throws Exception {
        REGIONS.region("ap").partition();
        awaitState(health, AP, RegionState.DOWN);

        assertThatThrownBy(() -> clients.forUser("chen")).isInstanceOf(RegionUnavailableException.class);
        assertThatThrownBy(() -> clients.forUser("chen", io.regionrouter.core.Access.READ))
                .isInstanceOf(RegionUnavailableException.class);
    }

    @Test
    void regulatedWrite_homeDown_isRefused_insteadOfLandingInAReadOnlyCopy() throws Exception {
        REGIONS.region("eu").kill();
        awaitState(health, EU, RegionState.DOWN);

        assertThatThrownBy(() -> clients.forUser("bruno")).isInstanceOf(RegionUnavailableException.class)
                .hasMessageContaining("may take writes of data homed in eu");
        // A read may fall back to us, which holds a copy; a write through that route is refused before it is sent.
        MongoCollection<Document> copy = clients.forUser("bruno", io.regionrouter.core.Access.READ).getCollection("profiles");
        assertThat(copy.find(Filters.eq("name", "bruno")).first()).isNull();
        assertThatThrownBy(() -> copy.deleteMany(Filters.eq("name", "bruno")))
                .isInstanceOf(ResidencyViolationException.class).hasMessageContaining("may not take writes");
        assertThatThrownBy(() -> copy.insertOne(new Document("name", "bruno").append("region", "eu")))
                .isInstanceOf(ResidencyViolationException.class).hasMessageContaining("may not take writes");
        assertThatThrownBy(() -> clients.forRegion(US).getCollection("profiles")
                .insertOne(new Document("name", "bruno").append("region", "eu")))
                .isInstanceOf(DocumentResidencyException.class).hasMessageContaining("read-only copy");

        assertThat(namesStoredIn("us")).isEmpty();
    }

    @Test
    void regulatedWrite_multiWriterData_failsOverToAnAllowedRegion_andGuardStillApplies() throws Exception {
        clients.close();
        router = RegionRouter.builder(TOPOLOGY.toBuilder().multiWriter("eu", "us").build()).health(health)
                .directory(StaticRegionDirectory.builder().user("bruno", "eu").build()).build();
        clients = clientsBuilder().build();
        REGIONS.region("eu").kill();
        awaitState(health, EU, RegionState.DOWN);

        MongoCollection<Document> profiles = clients.forUser("bruno").getCollection("profiles");
        profiles.insertOne(new Document("name", "bruno").append("region", "eu"));
        assertThatThrownBy(() -> profiles.insertOne(new Document("name", "x").append("region", "ap")))
                .isInstanceOf(DocumentResidencyException.class);

        assertThat(namesStoredIn("us")).containsExactly("bruno");
        assertThat(namesStoredIn("ap")).isEmpty();
    }

    @Test
    void afterFailback_forUserReadsHomeOnly_andTheAuditReportsTheDocumentsWrittenDuringTheFailover()
            throws Exception {
        clients.close();
        router = RegionRouter.builder(TOPOLOGY.toBuilder().multiWriter("eu", "us").build()).health(health)
                .directory(StaticRegionDirectory.builder().user("bruno", "eu").build()).build();
        clients = clientsBuilder().build();
        clients.forUser("bruno").getCollection("profiles").insertOne(new Document("name", "before").append("region", "eu"));
        REGIONS.region("eu").kill();
        awaitState(health, EU, RegionState.DOWN);
        for (String name : List.of("during-1", "during-2", "during-3")) {
            clients.forUser("bruno").getCollection("profiles").insertOne(new Document("name", name).append("region", "eu"));
        }
        StrayDocuments whileDown = clients.strayDocuments("profiles");
        assertThat(whileDown.unreachable()).containsExactly(EU);
        assertThat(whileDown.byCluster().get(US)).containsExactly(Map.entry("eu", 3L));

        REGIONS.region("eu").restart();
        awaitState(health, EU, RegionState.UP);
        // the home cluster answers again (the testkit's server keeps nothing across a restart): forUser writes
        // and reads it, and only it, so the documents written during the failover are not found
        clients.forUser("bruno").getCollection("profiles").insertOne(new Document("name", "after").append("region", "eu"));
        assertThat(clients.forUser("bruno").getCollection("profiles").find().map(d -> d.getString("name"))
                .into(new ArrayList<>())).containsExactly("after");
        StrayDocuments after = clients.strayDocuments("profiles");
        assertThat(after.unreachable()).isEmpty();
        assertThat(after.byCluster()).containsEntry(US, Map.of("eu", 3L)).containsEntry(EU, Map.of())
                .containsEntry(AP, Map.of());
        assertThat(after.total()).isEqualTo(3);
    }

    /**
     * Replaces the fixture with clients that register no probe, over a RegionHealth whose only
     * probes pass once and then not again for a minute: only real calls can move a region DOWN,
     * here after two calls of which at least half failed.
     */
    private void useClientsWithoutProbes() {
        clients.close();
        health.close();
        health = RegionHealth.builder().config(HealthConfig.builder().interval(Duration.ofMinutes(1))
                .timeout(Duration.ofSeconds(1)).failureThreshold(2).successThreshold(1).minimumCalls(2).build()).build();
        for (String name : REGIONS.names()) {
            health.register(Region.of(name), Store.MONGO, timeout -> { });
        }
        router = RegionRouter.builder(TOPOLOGY).health(health).build();
        clients = clientsBuilder().healthProbes(false)
                .config(RegionalMongoConfig.builder().database("app").serverSelectionTimeout(Duration.ofSeconds(1)).build()).build();
    }

    @Test
    void connectivityFailuresOnRealCalls_feedRegionHealth_withoutAnyProbe() {
        useClientsWithoutProbes();
        REGIONS.region("ap").kill();
        MongoCollection<Document> products = clients.forRegion(AP).getCollection("products");

        for (int i = 0; i < 2; i++) { // minimumCalls is 2
            assertThatThrownBy(() -> products.find(Filters.eq("_id", 1)).first()).isInstanceOf(com.mongodb.MongoException.class);
        }

        assertThat(health.state(AP, Store.MONGO)).isEqualTo(RegionState.DOWN);
        assertThat(health.state(EU, Store.MONGO)).isEqualTo(RegionState.UP);
    }

    @Test
    void readGlobal_triesNextRegion_whenTheFirstFailsBeforeHealthKnows() {
        useClientsWithoutProbes();
        seedProducts();
        REGIONS.region("us").kill();

        assertThat(health.isUp(US, Store.MONGO)).isTrue();
        assertThat(readProductCopy()).isEqualTo("eu");
    }

    @Test
    void readGlobal_neverRunsAWriteThatMayHaveBeenAppliedASecondTime() {
        useClientsWithoutProbes();
        clients.close();
        clients = clientsBuilder().healthProbes(false)
                .config(RegionalMongoConfig.builder().database("app").operationTimeout(Duration.ofSeconds(1)).build()).build();
        seedProducts();
        assertThat(readProductCopy()).isEqualTo("us"); // leaves one idle pooled connection to us
        REGIONS.region("us").partition();

        assertThatThrownBy(() -> clients.readGlobal(db -> db.getCollection("visits").insertOne(new Document("_id", 1))))
                .isInstanceOf(io.regionrouter.core.OutcomeUnknownException.class);

        try (MongoClient direct = direct("eu")) {
            assertThat(direct.getDatabase("app").getCollection("visits").countDocuments()).isZero();
        }
    }

    @Test
    void regionAwareSelector_failsClosedThroughTheRealDriver_insteadOfWaitingForTimeout() {
        var eu = REGIONS.region("eu").mongo();
        String address = eu.host() + ":" + eu.port();
        RegionAwareServerSelector onlyAp = RegionAwareServerSelector.builder(TOPOLOGY).regulatedFor(AP)
                .member(address, "eu").build();
        RegionAwareServerSelector euAllowed = RegionAwareServerSelector.builder(TOPOLOGY).regulatedFor(EU)
                .member(address, "eu").build();
        var base = com.mongodb.MongoClientSettings.builder()
                .applyConnectionString(new com.mongodb.ConnectionString(eu.connectionString()))
                .applyToClusterSettings(c -> c.serverSelectionTimeout(30, TimeUnit.SECONDS));

        try (MongoClient refused = MongoClients.create(onlyAp.applyTo(base).build())) {
            // the selector's own refusal; waiting for the driver would end in a MongoTimeoutException
            assertThatThrownBy(() -> refused.getDatabase("app").getCollection("p").find().first())
                    .isInstanceOf(RegionUnavailableException.class)
                    .hasMessageContaining("REGULATED data homed in ap");
        }
        try (MongoClient allowed = MongoClients.create(euAllowed.applyTo(com.mongodb.MongoClientSettings.builder()
                .applyConnectionString(new com.mongodb.ConnectionString(eu.connectionString()))).build())) {
            allowed.getDatabase("app").getCollection("p").insertOne(new Document("_id", 1));
            assertThat(allowed.getDatabase("app").getCollection("p").countDocuments()).isEqualTo(1);
        }
    }

    @Test
    void manyThreads_whileARegionIsPartitioned_keepResidencyAndServeOtherUsers() throws Exception {
        clients.close();
        clients = clientsBuilder().config(RegionalMongoConfig.builder().database("app").operationTimeout(Duration.ofSeconds(2)).build()).build();
        seedProducts();
        int threads = 8;
        int opsPerThread = 30;
        var pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        var unexpected = new CopyOnWriteArrayList<Throwable>();
        var chenFailures = new java.util.concurrent.atomic.AtomicInteger();
        var start = new java.util.concurrent.CountDownLatch(1);
        try {
            List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    String[][] users = {{"alice", "us"}, {"bruno", "eu"}, {"chen", "ap"}};
                    for (int i = 0; i < opsPerThread; i++) {
                        String[] user = users[(thread + i) % users.length];
                        try {
                            clients.forUser(user[0]).getCollection("profiles").insertOne(
                                    new Document("name", user[0]).append("region", user[1]).append("n", thread * 1000 + i));
                            clients.readGlobal(db -> db.getCollection("products").find(Filters.eq("_id", 7)).first());
                        } catch (RegionUnavailableException | io.regionrouter.core.OutcomeUnknownException
                                 | com.mongodb.MongoException e) {
                            if (user[0].equals("chen")) {
                                chenFailures.incrementAndGet();
                            } else {
                                unexpected.add(e);
                            }
                        } catch (RuntimeException e) {
                            unexpected.add(e);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            Thread.sleep(50);
            REGIONS.region("ap").partition();
            for (var future : futures) {
                future.get(45, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            REGIONS.region("ap").heal();
        }

        assertThat(unexpected).isEmpty();
        assertThat(chenFailures.get()).isPositive();
        // ap data never left ap, even while ap was unreachable; eu data may only also live in us
        assertThat(regionsStoredIn("us")).contains("us").isSubsetOf("us", "eu");
        assertThat(regionsStoredIn("eu")).containsOnly("eu");
        assertThat(regionsStoredIn("ap")).isSubsetOf("ap");
    }

    private static java.util.Set<String> regionsStoredIn(String region) {
        try (MongoClient direct = direct(region)) {
            java.util.Set<String> regions = new java.util.HashSet<>();
            direct.getDatabase("app").getCollection("profiles").find().forEach(d -> regions.add(d.getString("region")));
            return regions;
        }
    }
}
