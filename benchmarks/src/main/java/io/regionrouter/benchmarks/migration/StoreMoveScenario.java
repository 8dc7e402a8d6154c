package io.regionrouter.benchmarks.migration;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.regionrouter.core.HealthConfig;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.StaticRegionDirectory;
import io.regionrouter.core.Topology;
import io.regionrouter.core.UserDataMover;
import io.regionrouter.core.UserFrozenException;
import io.regionrouter.core.UserMovedAwayException;
import io.regionrouter.jdbc.MoveState;
import io.regionrouter.jdbc.RegionMigration;
import io.regionrouter.mongo.DocumentResidencyException;
import io.regionrouter.mongo.MongoUserMover;
import io.regionrouter.mongo.RegionalMongoClients;
import io.regionrouter.mongo.RegionalMongoConfig;
import io.regionrouter.redis.AckPolicy;
import io.regionrouter.redis.RedisEndpoint;
import io.regionrouter.redis.RedisUserMover;
import io.regionrouter.redis.RegionalRedis;
import io.regionrouter.redis.RegionalRedisConfig;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.ServerKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.Document;

/**
 * Moving a user's rows, Redis keys and MongoDB documents in one move, as a scenario: us (the
 * primary) and eu, each with the testkit's PostgreSQL 17, Redis and mongo-java-server on
 * 127.0.0.1 (no delay between regions). Two application instances, one per region, each with its
 * own pools, directory cache and listener ({@link UserMoveScenario}'s), {@link RegionalRedis} and
 * {@link RegionalMongoClients} (with move fences), write continuously for the moving user and for
 * one who stays: a row, a key and a document per turn. Each repetition moves a fresh user with
 * {@code rows} rows, {@code keys} keys and {@code docs} documents from eu to us and measures:
 * <ul>
 *   <li><b>copy rows/s, keys/s, documents/s</b>: each store's first copy over its own duration;</li>
 *   <li><b>move</b>: the whole {@code move()} call, up to the fence;</li>
 *   <li><b>freeze</b>: from the freeze step's start to the flip, as the migration sees it, and its parts: the
 *       freeze step (the database waits for writes in flight, each store sets its marker, MongoDB's
 *       settle), the catch-up with its verification, the hold and the flip;</li>
 *   <li><b>blocked</b>: the longest time one write of the moving user (row, key or document) was
 *       refused before it was acknowledged (the freeze window the user sees);</li>
 *   <li><b>follow</b>: from the flip to the eu instance's first acknowledged document in us.</li>
 * </ul>
 * Written as JSON.
 *
 * <pre>{@code
 * ./mvnw -B -q -pl core,testkit,jdbc-routing,redis-replication,mongo-routing install -DskipTests
 * flock /tmp/benchmarks.lock ./mvnw -B -q -pl benchmarks package -DskipTests
 * flock /tmp/benchmarks.lock java -cp benchmarks/target/benchmarks.jar \
 *     io.regionrouter.benchmarks.migration.StoreMoveScenario 5 10000 1000 1000 benchmarks/results/store-move.json
 * }</pre>
 */
public final class StoreMoveScenario {

    private static final Region US = Region.of("us");
    private static final Region EU = Region.of("eu");
    private static final Topology TOPOLOGY = Topology.builder().regions("us", "eu").local("us").primary("us").build();

    private StoreMoveScenario() {
    }

    /** One repetition, in ms (items/s for the copies). */
    record Run(double rowsPerSecond, double keysPerSecond, double docsPerSecond, double move, double freeze, double freezeStep,
            double catchUp, double flip, double blocked, double followEu) {
    }

    /**
     * Runs the scenario.
     *
     * @param args repetitions (5), rows (10000), keys (1000) and documents (1000) per moving user, the JSON file
     * @throws Exception if a repetition fails
     */
    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        int repetitions = args.length > 0 ? Math.max(1, Integer.parseInt(args[0])) : 5;
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int keys = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
        int docs = args.length > 3 ? Integer.parseInt(args[3]) : 1_000;
        Path out = Path.of(args.length > 4 ? args[4] : "benchmarks/results/store-move.json");
        List<Run> runs = new ArrayList<>();
        try (LocalRegions regions = LocalRegions.builder().region("us", ServerKind.POSTGRES, ServerKind.REDIS, ServerKind.MONGO)
                .region("eu", ServerKind.POSTGRES, ServerKind.REDIS, ServerKind.MONGO).build().start()) {
            UserMoveScenario.Setup setup = new UserMoveScenario.Setup(regions);
            RedisUserMover.Builder rb = RedisUserMover.builder(TOPOLOGY).config(redisConfig());
            for (Region r : TOPOLOGY.regions()) {
                rb.region(r, RedisEndpoint.standalone(regions.region(r.id()).redis().uri()));
            }
            RegionalMongoClients moverClients = clients(regions, RegionRouter.builder(TOPOLOGY)
                    .directory(StaticRegionDirectory.builder().build()).build(), false);
            try (RedisUserMover redisMover = rb.build(); MongoClient rawEu = MongoClients.create(
                    "mongodb://127.0.0.1:" + regions.region("eu").mongo().directPort())) {
                Timed redis = new Timed(redisMover);
                Timed mongo = new Timed(MongoUserMover.builder(moverClients).collection("docs", "userId").build());
                UserMoveScenario.Instance usApp = setup.instance(US);
                UserMoveScenario.Instance euApp = setup.instance(EU);
                Stores usStores = new Stores(regions, US, usApp);
                Stores euStores = new Stores(regions, EU, euApp);
                for (int i = 0; i < repetitions; i++) {
                    String user = "store-mover-" + i;
                    setup.seed(user, EU, rows, 1_000_000L * (i + 1));
                    setup.seed(user + "-stays", EU, 10, 1_000_000L * (i + 1) + rows + 10);
                    for (UserMoveScenario.Instance app : List.of(usApp, euApp)) {
                        routed(app, user);
                        routed(app, user + "-stays");
                    }
                    seed(euStores, rawEu, user, keys, docs);
                    Run run = once(setup, usStores, euStores, user, rows, keys, docs, redis, mongo, 1_000_000L * (i + 1) + 500_000);
                    System.out.println(run);
                    runs.add(run);
                }
                usStores.close();
                euStores.close();
                usApp.feed().close();
                euApp.feed().close();
            } finally {
                moverClients.close();
                setup.replication.teardown();
                setup.pools.forEach(com.zaxxer.hikari.HikariDataSource::close);
            }
        }
        String json = json(runs, rows, keys, docs);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, json);
        System.out.println(json);
    }

    /** Waits until the instance routes a newly assigned user (its negative entry is replaced by the notification). */
    private static void routed(UserMoveScenario.Instance app, String user) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (app.cache().lookup(user).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(user + " not routed");
            }
            Thread.sleep(20);
            app.cache().invalidate(user);
        }
    }

    private static RegionalRedisConfig redisConfig() {
        return RegionalRedisConfig.builder().commandTimeout(Duration.ofSeconds(1)).allowPlaintext(true).build();
    }

    private static RegionalMongoClients clients(LocalRegions regions, RegionRouter router, boolean fences) {
        RegionalMongoClients.Builder b = RegionalMongoClients.builder(router)
                .config(RegionalMongoConfig.builder().database("app").moveFences(fences).build())
                .healthProbes(fences);
        for (Region r : TOPOLOGY.regions()) {
            b.region(r.id(), regions.region(r.id()).mongo().connectionString());
        }
        return b.build();
    }

    private static void seed(Stores eu, MongoClient rawEu, String user, int keys, int docs) {
        List<java.util.concurrent.CompletionStage<?>> sent = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            sent.add(eu.redis.forUser(user).setAsync("{" + user + "}:seed" + i, "seed " + i, null, AckPolicy.ALL));
        }
        sent.forEach(s -> s.toCompletableFuture().join());
        List<Document> batch = new ArrayList<>();
        for (int i = 0; i < docs; i++) {
            batch.add(new Document("_id", user + "/seed" + i).append("userId", user).append("region", "eu").append("n", i));
        }
        rawEu.getDatabase("app").getCollection("docs").insertMany(batch);
    }

    private static Run once(UserMoveScenario.Setup setup, Stores usStores, Stores euStores, String user, int rows, int keys,
            int docs, Timed redis, Timed mongo, long firstId) throws Exception {
        List<String> users = List.of(user, user + "-stays");
        AtomicLong ids = new AtomicLong(firstId);
        UserMoveScenario.Writer usRows = new UserMoveScenario.Writer(usStores.app, users, user, ids);
        UserMoveScenario.Writer euRows = new UserMoveScenario.Writer(euStores.app, users, user, ids);
        StoreWriter usWriter = new StoreWriter(usStores, users, user, ids);
        StoreWriter euWriter = new StoreWriter(euStores, users, user, ids);
        List<Thread> threads = List.of(new Thread(usRows), new Thread(euRows), new Thread(usWriter), new Thread(euWriter));
        Map<MoveState, Long> at = new EnumMap<>(MoveState.class);
        redis.reset();
        mongo.reset();
        RegionMigration migration = setup.migration((status, detail) -> at.put(status.state(), System.nanoTime()), redis, mongo);
        threads.forEach(Thread::start);
        double move;
        try {
            Thread.sleep(300);
            long start = System.nanoTime();
            migration.move(user, US);
            move = (System.nanoTime() - start) / 1e6;
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!euWriter.firstIn.containsKey(US) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        } finally {
            usRows.stop = true;
            euRows.stop = true;
            usWriter.stop = true;
            euWriter.stop = true;
            for (Thread t : threads) {
                t.join(10_000);
            }
        }
        if (!usWriter.failures.isEmpty() || !euWriter.failures.isEmpty() || !usRows.failures.isEmpty()
                || !euRows.failures.isEmpty()) {
            throw new IllegalStateException("unexpected write failures: " + usWriter.failures.peek() + " "
                    + euWriter.failures.peek() + " " + usRows.failures.peek() + " " + euRows.failures.peek());
        }
        long flip = at.get(MoveState.FLIPPED);
        // the rows' copy is the PLANNED -> COPIED step minus the other stores' copies, which run after it
        double rowSeconds = (at.get(MoveState.COPIED) - at.get(MoveState.PLANNED) - redis.firstCopyNanos - mongo.firstCopyNanos) / 1e9;
        List<Long> blocked = new ArrayList<>(usWriter.blocked);
        blocked.addAll(euWriter.blocked);
        blocked.addAll(usRows.blocked);
        blocked.addAll(euRows.blocked);
        return new Run(rows / rowSeconds, keys / (redis.firstCopyNanos / 1e9), docs / (mongo.firstCopyNanos / 1e9), move,
                (flip - at.get(MoveState.VERIFIED)) / 1e6, (at.get(MoveState.FROZEN) - at.get(MoveState.VERIFIED)) / 1e6,
                (at.get(MoveState.CAUGHT_UP) - at.get(MoveState.FROZEN)) / 1e6, (flip - at.get(MoveState.CAUGHT_UP)) / 1e6,
                blocked.stream().mapToLong(Long::longValue).max().orElse(0) / 1e6,
                (euWriter.firstIn.getOrDefault(US, Long.MAX_VALUE) - flip) / 1e6);
    }

    /** One instance's Redis and Mongo, routed by its cached directory. */
    static final class Stores implements AutoCloseable {
        final UserMoveScenario.Instance app;
        final RegionHealth health;
        final RegionalRedis<String> redis;
        final RegionalMongoClients mongo;

        Stores(LocalRegions regions, Region local, UserMoveScenario.Instance app) {
            this.app = app;
            health = RegionHealth.builder().config(HealthConfig.builder().interval(Duration.ofMillis(500))
                    .timeout(Duration.ofMillis(500)).build()).build();
            RegionRouter router = RegionRouter.builder(TOPOLOGY.withLocal(local)).directory(app.cache()).health(health).build();
            RegionalRedis.Builder<String> b = RegionalRedis.builder(router).config(redisConfig());
            for (Region r : TOPOLOGY.regions()) {
                b.region(r.id(), regions.region(r.id()).redis().uri());
            }
            redis = b.build();
            mongo = clients(regions, router, true);
        }

        @Override
        public void close() {
            redis.close();
            mongo.close();
            health.close();
        }
    }

    /** Writes a key and a document for its users in turn; retries refused writes; records how long. */
    static final class StoreWriter implements Runnable {
        final Stores stores;
        final List<String> users;
        final String watched;
        final AtomicLong ids;
        final ConcurrentLinkedQueue<Long> blocked = new ConcurrentLinkedQueue<>();
        final Map<Region, Long> firstIn = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        volatile boolean stop;

        StoreWriter(Stores stores, List<String> users, String watched, AtomicLong ids) {
            this.stores = stores;
            this.users = users;
            this.watched = watched;
            this.ids = ids;
        }

        @Override
        public void run() {
            int turn = 0;
            while (!stop) {
                String user = users.get(turn++ % users.size());
                long id = ids.incrementAndGet();
                retrying(user, () -> stores.redis.forUser(user).set("{" + user + "}:w" + id, "w", null, AckPolicy.ALL));
                retrying(user, () -> {
                    Region home = stores.app.cache().lookup(user).orElseThrow();
                    stores.mongo.forUser(user).getCollection("docs").insertOne(new Document("_id", user + "/w" + id)
                            .append("userId", user).append("region", home.id()));
                    if (user.equals(watched)) {
                        firstIn.putIfAbsent(home, System.nanoTime());
                    }
                });
                sleep(2);
            }
        }

        private void retrying(String user, Runnable write) {
            long since = -1;
            while (!stop) {
                try {
                    write.run();
                    if (since >= 0) {
                        blocked.add(System.nanoTime() - since);
                    }
                    return;
                } catch (RuntimeException e) {
                    boolean moved = UserMovedAwayException.isCauseOf(e);
                    if (!moved && !UserFrozenException.isCauseOf(e)
                            && !(e instanceof DocumentResidencyException)) {
                        failures.add(e);
                        return;
                    }
                    since = since < 0 ? System.nanoTime() : since;
                    if (moved) {
                        stores.app.cache().invalidate(user);
                    }
                    sleep(10);
                }
            }
        }
    }

    /** A mover that times its first copy of each move. */
    static final class Timed implements UserDataMover {
        final UserDataMover delegate;
        volatile long firstCopyNanos;

        Timed(UserDataMover delegate) {
            this.delegate = delegate;
        }

        void reset() {
            firstCopyNanos = 0;
        }

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public long copy(String userId, Region source, Region target) {
            long start = System.nanoTime();
            long n = delegate.copy(userId, source, target);
            if (firstCopyNanos == 0) {
                firstCopyNanos = System.nanoTime() - start;
            }
            return n;
        }

        @Override
        public Digest digest(String userId, Region region) {
            return delegate.digest(userId, region);
        }

        @Override
        public void freeze(String userId, Region region, Duration bound) {
            delegate.freeze(userId, region, bound);
        }

        @Override
        public long holdFreeze(String userId, Region region, Digest verified) {
            return delegate.holdFreeze(userId, region, verified);
        }

        @Override
        public void unfreeze(String userId, Region region) {
            delegate.unfreeze(userId, region);
        }

        @Override
        public void fence(String userId, Region region, Region movedTo, long epoch) {
            delegate.fence(userId, region, movedTo, epoch);
        }

        @Override
        public void clearFence(String userId, Region region) {
            delegate.clearFence(userId, region);
        }

        @Override
        public long purge(String userId, Region region) {
            return delegate.purge(userId, region);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String json(List<Run> runs, int rows, int keys, int docs) {
        StringBuilder sb = new StringBuilder("{\n  \"scenario\": \"store-move\",\n");
        sb.append("  \"rows_per_user\": ").append(rows).append(",\n");
        sb.append("  \"keys_per_user\": ").append(keys).append(",\n");
        sb.append("  \"documents_per_user\": ").append(docs).append(",\n");
        sb.append("  \"repetitions\": ").append(runs.size()).append(",\n");
        sb.append("  \"inter_region_delay_ms\": 0,\n");
        sb.append("  \"targets_ms\": {\"blocked_p99\": 2000, \"follow\": 1000},\n");
        sb.append(metric("copy_rows_per_s", runs.stream().mapToDouble(Run::rowsPerSecond).toArray())).append(",\n");
        sb.append(metric("copy_keys_per_s", runs.stream().mapToDouble(Run::keysPerSecond).toArray())).append(",\n");
        sb.append(metric("copy_documents_per_s", runs.stream().mapToDouble(Run::docsPerSecond).toArray())).append(",\n");
        sb.append(metric("move_ms", runs.stream().mapToDouble(Run::move).toArray())).append(",\n");
        sb.append(metric("freeze_to_flip_ms", runs.stream().mapToDouble(Run::freeze).toArray())).append(",\n");
        sb.append(metric("freeze_step_ms", runs.stream().mapToDouble(Run::freezeStep).toArray())).append(",\n");
        sb.append(metric("catch_up_and_verify_ms", runs.stream().mapToDouble(Run::catchUp).toArray())).append(",\n");
        sb.append(metric("hold_and_flip_ms", runs.stream().mapToDouble(Run::flip).toArray())).append(",\n");
        sb.append(metric("blocked_ms", runs.stream().mapToDouble(Run::blocked).toArray())).append(",\n");
        sb.append(metric("follow_eu_instance_ms", runs.stream().mapToDouble(Run::followEu).toArray())).append("\n}\n");
        return sb.toString();
    }

    private static String metric(String name, double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        StringBuilder raw = new StringBuilder();
        for (double v : values) {
            raw.append(raw.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.1f", v));
        }
        int p99 = (int) Math.ceil(0.99 * sorted.length);
        return String.format(Locale.ROOT, "  \"%s\": {\"p50\": %.1f, \"p99\": %.1f, \"max\": %.1f, \"runs\": [%s]}", name,
                sorted[Math.max(0, (int) Math.ceil(0.5 * sorted.length) - 1)], sorted[Math.max(0, Math.min(sorted.length - 1, p99 - 1))],
                sorted[sorted.length - 1], raw);
    }
}
