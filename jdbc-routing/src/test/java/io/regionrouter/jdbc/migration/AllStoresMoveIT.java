package io.regionrouter.jdbc.migration;

import static io.regionrouter.jdbc.migration.MoveFixture.EU;
import static io.regionrouter.jdbc.migration.MoveFixture.US;
import static io.regionrouter.jdbc.migration.MoveFixture.WAIT;
import static io.regionrouter.jdbc.migration.MoveFixture.await;
import static io.regionrouter.jdbc.migration.MoveFixture.count;
import static io.regionrouter.jdbc.migration.RegionMigrationIT.STEPS;
import static io.regionrouter.jdbc.migration.RegionMigrationIT.awaitLine;
import static io.regionrouter.jdbc.migration.RegionMigrationIT.missing;
import static io.regionrouter.jdbc.migration.RegionMigrationIT.percentile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.model.Filters;
import io.regionrouter.core.Region;
import io.regionrouter.core.UserMovedAwayException;
import io.regionrouter.jdbc.MigrationListener;
import io.regionrouter.jdbc.MoveState;
import io.regionrouter.jdbc.MoveStatus;
import io.regionrouter.jdbc.RegionMigration;
import io.regionrouter.jdbc.StoreResidencyAudit;
import io.regionrouter.mongo.MongoUserMover;
import io.regionrouter.mongo.RegionalMongoClients;
import io.regionrouter.redis.AckPolicy;
import io.regionrouter.redis.RedisUserMover;
import io.regionrouter.testkit.LocalRegions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Moving a user's rows, Redis keys and MongoDB documents from eu to us in one move, on real
 * PostgreSQL 17, Redis and mongo-java-server servers, while two application instances (one per
 * region, each with its own directory cache, pools, Redis connections and Mongo clients) keep
 * writing for that user and others; and a separate migrating JVM killed after each step.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AllStoresMoveIT {

    @RegisterExtension
    static LocalRegions regions = StoreFixture.regions();

    static MoveFixture fx;
    static StoreFixture st;
    static RedisUserMover redisMover;
    static RegionalMongoClients migrationClients;
    static MongoUserMover mongoMover;

    @BeforeAll
    static void setUp() throws Exception {
        fx = new MoveFixture(regions);
        st = new StoreFixture(regions);
        redisMover = StoreFixture.redisMover(st.redisUris());
        migrationClients = StoreFixture.migrationClients(st.mongoUris());
        mongoMover = StoreFixture.mongoMover(migrationClients);
        fx.migration(null).build().installSchema();
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (redisMover != null) {
            redisMover.close();
        }
        if (migrationClients != null) {
            migrationClients.close();
        }
        if (st != null) {
            st.close();
        }
        if (fx != null) {
            fx.close();
        }
    }

    static RegionMigration.Builder migration(MigrationListener listener) {
        return fx.migration(listener).mover(redisMover).mover(mongoMover);
    }

    static List<String> all(StoreWriter a, StoreWriter b, String user, boolean keys) {
        List<String> out = new ArrayList<>(keys ? a.ackedKeys.get(user) : a.ackedDocs.get(user));
        out.addAll(keys ? b.ackedKeys.get(user) : b.ackedDocs.get(user));
        return out;
    }

    @Test
    @Order(1)
    void userWithRowsKeysAndDocuments_movesWhileTwoInstancesWrite_noWriteLost_nothingLeftBehind() throws Exception {
        fx.seed("mover", EU, 10_000, 1_000_000);
        fx.seed("stay-eu", EU, 10, 2_000_000);
        fx.seed("stay-us", US, 10, 3_000_000);
        st.seed("mover", EU, 1_000, 1_000);
        st.seed("stay-eu", EU, 10, 10);
        st.seed("stay-us", US, 10, 10);
        await("users replicated to eu", WAIT, () -> count(fx.admins.get(EU), "SELECT count(*) FROM region_directory") >= 3);
        MoveFixture.Instance usApp = fx.new Instance(US);
        MoveFixture.Instance euApp = fx.new Instance(EU);
        StoreFixture.Stores usStores = st.new Stores(US, usApp.cache);
        StoreFixture.Stores euStores = st.new Stores(EU, euApp.cache);
        await("listeners", WAIT, () -> usApp.feed.isListening() && euApp.feed.isListening());
        List<String> users = List.of("mover", "stay-eu", "stay-us");
        AtomicLong ids = new AtomicLong(10_000_000);
        Writer usRows = new Writer(usApp, users, "mover", ids);
        Writer euRows = new Writer(euApp, users, "mover", ids);
        StoreWriter usWriter = new StoreWriter("us", usStores, usApp.cache, users, "mover", ids);
        StoreWriter euWriter = new StoreWriter("eu", euStores, euApp.cache, users, "mover", ids);
        List<Thread> threads = List.of(new Thread(usRows, "rows-us"), new Thread(euRows, "rows-eu"),
                new Thread(usWriter, "stores-us"), new Thread(euWriter, "stores-eu"));
        long[] flipNanos = {0};
        List<String> steps = new ArrayList<>();
        RegionMigration migration = migration((status, detail) -> {
            steps.add(status.state() + ": " + detail);
            if (status.state() == MoveState.FLIPPED) {
                flipNanos[0] = System.nanoTime();
            }
        }).retention(Duration.ofSeconds(1)).build();
        MoveStatus fenced;
        try {
            threads.forEach(Thread::start);
            await("both instances wrote keys and documents for the mover", WAIT,
                    () -> usWriter.ackedDocs.get("mover").size() > 5 && euWriter.ackedDocs.get("mover").size() > 5);
            long started = System.nanoTime();
            fenced = migration.move("mover", US);
            long moveMillis = (System.nanoTime() - started) / 1_000_000;
            await("both instances wrote for the mover in us", WAIT, () -> usWriter.firstWriteNanos.containsKey(US)
                    && euWriter.firstWriteNanos.containsKey(US) && euRows.firstWriteNanos.containsKey(US));
            Thread.sleep(300); // more writes after the follow
            List<Long> blocked = new ArrayList<>(usWriter.blockedNanos);
            blocked.addAll(euWriter.blockedNanos);
            blocked.addAll(usRows.blockedNanos);
            blocked.addAll(euRows.blockedNanos);
            System.out.printf("move of 10000 rows, 1000 keys, 1000 documents: %d ms; blocked p50 %d ms, p99 %d ms, max %d ms;"
                    + " first key+document write in us after the flip: us instance %d ms, eu instance %d ms%n", moveMillis,
                    percentile(blocked, 0.5) / 1_000_000, percentile(blocked, 0.99) / 1_000_000,
                    blocked.stream().mapToLong(Long::longValue).max().orElse(0) / 1_000_000,
                    (usWriter.firstWriteNanos.get(US) - flipNanos[0]) / 1_000_000,
                    (euWriter.firstWriteNanos.get(US) - flipNanos[0]) / 1_000_000);
            steps.forEach(s -> System.out.println("  step " + s));
            assertThat(percentile(blocked, 0.99)).as("the mover's writes unavailable (p99), liveness cap").isLessThan(5_000_000_000L);
        } finally {
            usRows.stop = true;
            euRows.stop = true;
            usWriter.stop = true;
            euWriter.stop = true;
            for (Thread t : threads) {
                t.join(10_000);
            }
            usStores.close();
            euStores.close();
            usApp.close();
            euApp.close();
        }

        assertThat(fenced.state()).isEqualTo(MoveState.FENCED);
        assertThat(usWriter.failures).isEmpty();
        assertThat(euWriter.failures).isEmpty();
        assertThat(usRows.failures).isEmpty();
        assertThat(euRows.failures).isEmpty();
        assertThat(euApp.cache.lookup("mover")).contains(US);
        assertThat(redisMover.marker("mover", EU)).startsWith("M us ");

        await("retention over", WAIT, () -> !migration.purgeDue().isEmpty()
                || migration.status("mover").get().state() == MoveState.DONE);
        assertThat(migration.status("mover")).map(MoveStatus::state).contains(MoveState.DONE);

        List<Long> rows = new ArrayList<>(usRows.acked.get("mover"));
        rows.addAll(euRows.acked.get("mover"));
        List<String> keys = all(usWriter, euWriter, "mover", true);
        List<String> docs = all(usWriter, euWriter, "mover", false);
        assertThat(keys).isNotEmpty();
        assertThat(docs).isNotEmpty();
        assertThat(missing(fx.admins.get(US), "mover", US, rows)).as("acknowledged rows missing in us").isZero();
        assertThat(st.missingKeys(US, keys)).as("acknowledged keys missing in us").isZero();
        assertThat(st.missingDocs(US, docs)).as("acknowledged documents missing in us").isZero();
        assertThat(fx.rows(US, "mover")).isEqualTo(10_000 + rows.size());
        assertThat(st.keys(US, "mover")).isEqualTo(1_000 + keys.size());
        assertThat(st.docs(US, "mover")).isEqualTo(1_000 + docs.size());
        assertThat(fx.rows(EU, "mover")).as("rows left in eu").isZero();
        assertThat(st.keys(EU, "mover")).as("keys left in eu").isZero();
        assertThat(st.docs(EU, "mover")).as("documents left in eu").isZero();
        for (String other : List.of("stay-eu", "stay-us")) {
            Region home = other.equals("stay-eu") ? EU : US;
            Region away = other.equals("stay-eu") ? US : EU;
            List<String> otherKeys = all(usWriter, euWriter, other, true);
            List<String> otherDocs = all(usWriter, euWriter, other, false);
            assertThat(otherKeys).isNotEmpty();
            assertThat(st.missingKeys(home, otherKeys)).as("acknowledged keys of " + other).isZero();
            assertThat(st.missingDocs(home, otherDocs)).as("acknowledged documents of " + other).isZero();
            assertThat(st.keys(away, other) + st.docs(away, other)).as(other + " in the wrong region").isZero();
            assertThat(usWriter.refused.get(other).get() + euWriter.refused.get(other).get()).as("refused writes of " + other)
                    .isZero();
        }
        assertThat(migration.auditStores(EU).clean()).isTrue();
    }

    @Test
    @Order(2)
    void storeAudit_reportsAMovedUsersKeysAndDocumentsLeftAfterTheRetention_untilPurged() throws Exception {
        fx.seed("lingering", EU, 5, 9_000_000);
        st.seed("lingering", EU, 7, 9);
        RegionMigration migration = migration(null).retention(Duration.ofMillis(800)).sourceCopyWait(Duration.ZERO).build();
        assertThat(migration.move("lingering", US).state()).isEqualTo(MoveState.FENCED);
        assertThat(migration.auditStores(EU).movedUserItems()).as("within the retention").isEmpty();

        RegionMigrationIT.sleep(1000);
        StoreResidencyAudit late = migration.auditStores(EU);
        assertThat(late.movedUserItems().get("redis")).containsEntry("lingering", 7L);
        assertThat(late.movedUserItems().get("mongo")).containsEntry("lingering", 9L);
        assertThat(migration.auditStores(US).clean()).isTrue();

        assertThat(migration.purgeDue()).extracting(MoveStatus::userId).contains("lingering");
        assertThat(migration.auditStores(EU).clean()).isTrue();
        assertThat(st.keys(US, "lingering") + st.docs(US, "lingering")).isEqualTo(16);
    }

    @ParameterizedTest
    @ValueSource(strings = {"PLANNED", "COPIED", "VERIFIED", "FROZEN", "CAUGHT_UP", "FLIPPED", "FENCED"})
    @Order(3)
    void migratingProcessKilledAfterEachStep_resumeOrRollbackEndsConsistentInEveryStore(String step) throws Exception {
        String user = "killed-" + step.toLowerCase();
        long first = 30_000_000L + STEPS.indexOf(step) * 10_000L;
        fx.seed(user, EU, 200, first);
        st.seed(user, EU, 100, 100);
        Process child = startMigrator(user, step);
        try {
            awaitLine(child, "STEP " + step);
        } finally {
            child.destroyForcibly(); // SIGKILL: no finally blocks, no clean close in the child
            child.waitFor();
        }
        MoveStatus recorded = migration(null).build().status(user).orElseThrow();
        assertThat(recorded.state().name()).isEqualTo(step);

        RegionMigration after = migration(null).retention(Duration.ZERO).build();
        boolean rollBack = recorded.state().beforeFlip() && STEPS.indexOf(step) % 2 == 1;
        MoveStatus end = rollBack ? after.rollback(user) : after.resume(user);

        Region home = rollBack ? EU : US;
        Region other = rollBack ? US : EU;
        assertThat(end.state()).isEqualTo(rollBack ? MoveState.ROLLED_BACK : MoveState.DONE);
        assertThat(fx.directory.lookup(user)).contains(home);
        assertThat(fx.rows(home, user)).isEqualTo(200);
        assertThat(st.keys(home, user)).isEqualTo(100);
        assertThat(st.docs(home, user)).isEqualTo(100);
        assertThat(fx.rows(other, user) + st.keys(other, user) + st.docs(other, user)).isZero();
        assertThat(redisMover.marker(user, home)).as("no freeze or fence where the user lives").isNull();
        assertThat(redisMover.marker(user, other)).isEqualTo(rollBack ? null : "M us " + end.flipEpoch());

        // writable where the user lives, through the library, for an instance that follows the directory
        try (StoreFixture.Stores app = st.new Stores(US, fx.directory)) {
            app.redis.forUser(user).set("{" + user + "}:after", "x", null, AckPolicy.ALL);
            app.mongo.forUser(user).getCollection(StoreFixture.COLLECTION).insertOne(new Document("_id", user + "/after")
                    .append("userId", user).append("region", home.id()));
        }
        assertThat(st.keys(home, user)).isEqualTo(101);
        assertThat(st.docs(home, user)).isEqualTo(101);
        if (!rollBack) {
            // a stale instance that still routes the user to eu is refused there by both stores
            try (StoreFixture.Stores stale = st.new Stores(EU, io.regionrouter.core.StaticRegionDirectory.builder()
                    .user(user, "eu").build())) {
                assertThatThrownBy(() -> stale.redis.forUser(user).set("{" + user + "}:stale", "x", null, AckPolicy.ALL))
                        .matches(RedisUserMover::isMovedAway);
                assertThatThrownBy(() -> stale.mongo.forUser(user).getCollection(StoreFixture.COLLECTION)
                        .insertOne(new Document("_id", user + "/stale").append("userId", user).append("region", "eu")))
                        .isInstanceOf(UserMovedAwayException.class);
            }
            assertThat(st.keys(EU, user) + st.docs(EU, user)).isZero();
        }
    }

    static Process startMigrator(String user, String step) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), MigratorProcess.class.getName(), user, step);
        for (Region r : List.of(US, EU)) {
            var s = fx.server(r);
            String prefix = "RR_" + r.id().toUpperCase() + "_";
            pb.environment().put(prefix + "URL", s.jdbcUrl());
            pb.environment().put(prefix + "USER", s.superUser());
            pb.environment().put(prefix + "PASSWORD", s.superPassword());
            pb.environment().put(prefix + "REDIS", st.redisUris().get(r));
            pb.environment().put(prefix + "MONGO", st.mongoUris().get(r));
        }
        pb.redirectErrorStream(true);
        return pb.start();
    }

    static long docsWithRegion(Region r, String user) {
        return st.mongo.get(r).countDocuments(Filters.and(Filters.eq("userId", user), Filters.eq("region", r.id())));
    }
}
