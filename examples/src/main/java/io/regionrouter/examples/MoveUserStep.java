package io.regionrouter.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.regionrouter.core.CachingRegionDirectory;
import io.regionrouter.core.Region;
import io.regionrouter.core.Topology;
import io.regionrouter.jdbc.DirectoryInvalidations;
import io.regionrouter.jdbc.JdbcRegionDirectory;
import io.regionrouter.jdbc.MoveGuard;
import io.regionrouter.jdbc.MoveState;
import io.regionrouter.jdbc.MoveStatus;
import io.regionrouter.jdbc.MovedTable;
import io.regionrouter.jdbc.RegionMigration;
import io.regionrouter.jdbc.ResidencyAudit;
import io.regionrouter.jdbc.ResidencySchema;
import io.regionrouter.jdbc.replication.LogicalReplication;
import io.regionrouter.jdbc.replication.ReplicationEndpoint;
import io.regionrouter.jdbc.replication.ReplicationPlan;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.StaticRegionDirectory;
import io.regionrouter.core.UserMovedAwayException;
import io.regionrouter.jdbc.StoreResidencyAudit;
import io.regionrouter.mongo.MongoUserMover;
import io.regionrouter.mongo.RegionalMongoClients;
import io.regionrouter.mongo.RegionalMongoConfig;
import io.regionrouter.redis.AckPolicy;
import io.regionrouter.redis.RedisEndpoint;
import io.regionrouter.redis.RedisUserMover;
import io.regionrouter.redis.RegionalRedis;
import io.regionrouter.redis.RegionalRedisConfig;
import io.regionrouter.testkit.PostgresServer;
import org.bson.Document;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Moves a user with 2,000 rows, 200 Redis keys and 200 MongoDB documents from eu to us while two
 * application instances, one in eu and one in us, each with its own pools, cached directory and
 * directory listener, keep writing rows for that user and for one who stays. The directory table is
 * replicated from us to every region for this step. Shows the freeze window the moving user's
 * writes saw, when each instance followed the flip, that no row, key or document is left in eu and
 * no acknowledged write is missing, and that an instance still routing the user to eu is refused
 * there by Redis and MongoDB.
 */
final class MoveUserStep implements DemoStep {

    private static final String USER = "mira";
    private static final String STAYS = "emil";
    private static final int ROWS = 2_000;
    private static final int KEYS = 200;
    private static final int DOCS = 200;

    @Override
    public String title() {
        return "Moving a user: rows, Redis keys and MongoDB documents (eu -> us while two instances write)";
    }

    @Override
    public boolean run(DemoContext context) throws Exception {
        DemoConsole out = context.console;
        Topology topology = context.services.topology;
        List<AutoCloseable> closeables = new ArrayList<>();
        LogicalReplication replication = null;
        try {
            Map<Region, DataSource> admins = new LinkedHashMap<>();
            for (Region r : topology.regions()) {
                PostgresServer db = context.regions.region(r.id()).postgres();
                admins.put(r, pool(closeables, db, db.superUser(), db.superPassword()));
            }
            JdbcRegionDirectory directory = JdbcRegionDirectory.builder(topology).dataSources(admins).build();
            ResidencySchema notes = ResidencySchema.builder(topology).table("move_notes").column("id", "bigint NOT NULL")
                    .column("user_id", "text NOT NULL").column("body", "text").primaryKey("id").appRole("app").build();
            for (Region r : topology.regions()) {
                directory.createTable(admins.get(r));
                notes.apply(admins.get(r), r);
            }
            replication = replication(context, topology, directory);
            replication.apply();
            replication.awaitInitialSync(Duration.ofSeconds(30));
            out.line("directory table replicated from us to every region (GLOBAL), each copy notifies its listeners");

            long[] flip = {0};
            List<String> steps = new ArrayList<>();
            RegionMigration.Builder builder = RegionMigration.builder(directory).table(notes, "user_id").appRole("app")
                    .retention(Duration.ofSeconds(1)).listener((status, detail) -> {
                        steps.add(status.state() + ": " + detail);
                        if (status.state() == MoveState.FLIPPED) {
                            flip[0] = System.nanoTime();
                        }
                    });
            admins.forEach(builder::admin);
            // the user's Redis keys ({mira}:...) and MongoDB documents (move_docs.userId) move with the rows
            RegionalRedisConfig redisConfig = RegionalRedisConfig.builder().allowPlaintext(true).build();
            RedisUserMover.Builder keysBuilder = RedisUserMover.builder(topology).config(redisConfig);
            for (Region r : topology.regions()) {
                keysBuilder.region(r, RedisEndpoint.standalone(context.regions.region(r.id()).redis().uri()));
            }
            RedisUserMover keys = keysBuilder.build();
            closeables.add(keys);
            MongoUserMover docs = MongoUserMover.builder(context.services.mongo).collection("move_docs", "userId").build();
            builder.mover(keys).mover(docs);
            // an instance whose directory never learns of the move: it stands for one that has not followed
            RegionHealth staleHealth = RegionHealth.builder().build();
            closeables.add(staleHealth);
            RegionRouter staleRouter = RegionRouter.builder(topology).health(staleHealth)
                    .directory(StaticRegionDirectory.builder().user(USER, "eu").build()).build();
            RegionalRedis.Builder<String> staleRedisBuilder = RegionalRedis.builder(staleRouter).config(redisConfig);
            RegionalMongoClients.Builder staleMongoBuilder = RegionalMongoClients.builder(staleRouter)
                    .config(RegionalMongoConfig.builder().database("demo").moveFences(true).build());
            for (Region r : topology.regions()) {
                staleRedisBuilder.region(r.id(), context.regions.region(r.id()).redis().uri());
                staleMongoBuilder.region(r.id(), context.regions.region(r.id()).mongo().connectionString());
            }
            RegionalRedis<String> staleRedis = staleRedisBuilder.build();
            closeables.add(staleRedis);
            RegionalMongoClients staleMongo = staleMongoBuilder.build();
            closeables.add(staleMongo);
            for (int i = 0; i < KEYS; i++) {
                staleRedis.forUser(USER).set("{" + USER + "}:k" + i, "value " + i, null, AckPolicy.ALL);
            }
            List<Document> seedDocs = new ArrayList<>();
            for (int i = 0; i < DOCS; i++) {
                seedDocs.add(new Document("_id", USER + "/" + i).append("userId", USER).append("region", "eu"));
            }
            staleMongo.forUser(USER).getCollection("move_docs").insertMany(seedDocs);
            RegionMigration migration = builder.build();
            migration.installSchema();
            seed(directory, admins.get(DemoServices.EU), USER, ROWS, 1);
            seed(directory, admins.get(DemoServices.EU), STAYS, 10, 100_000);

            Instance euApp = new Instance(context, topology, DemoServices.EU, closeables);
            Instance usApp = new Instance(context, topology, DemoServices.US, closeables);
            for (Instance app : List.of(euApp, usApp)) {
                await(() -> app.cache.lookup(USER).isPresent() && app.cache.lookup(STAYS).isPresent());
            }
            AtomicLong ids = new AtomicLong(1_000_000);
            Writer euWriter = new Writer(euApp, ids);
            Writer usWriter = new Writer(usApp, ids);
            Thread t1 = new Thread(euWriter, "demo-writer-eu");
            Thread t2 = new Thread(usWriter, "demo-writer-us");
            MoveStatus status;
            try {
                t1.start();
                t2.start();
                Thread.sleep(300);
                long start = System.nanoTime();
                status = migration.move(USER, DemoServices.US);
                out.line("%s (%d rows) moved eu -> us in %d ms; state %s", USER, ROWS, (System.nanoTime() - start) / 1_000_000,
                        status.state());
                await(() -> euWriter.firstIn.containsKey(DemoServices.US) && usWriter.firstIn.containsKey(DemoServices.US));
                Thread.sleep(1_100); // the retention
                migration.purgeDue();
            } finally {
                euWriter.stop = true;
                usWriter.stop = true;
                t1.join(10_000);
                t2.join(10_000);
            }
            steps.forEach(s -> out.line("  step %s", s));
            out.line("freeze window seen by %s's writes: eu instance %d ms, us instance %d ms (refused and retried: %d, %d)",
                    USER, euWriter.longestBlockedMs(), usWriter.longestBlockedMs(), euWriter.refused.get(USER).get(),
                    usWriter.refused.get(USER).get());
            out.line("first write in us after the flip: us instance %d ms, eu instance %d ms (through its listener)",
                    (usWriter.firstIn.get(DemoServices.US) - flip[0]) / 1_000_000,
                    (euWriter.firstIn.get(DemoServices.US) - flip[0]) / 1_000_000);
            long inEu = count(admins.get(DemoServices.EU), USER);
            long inUs = count(admins.get(DemoServices.US), USER);
            List<Long> acked = new ArrayList<>(euWriter.acked.get(USER));
            acked.addAll(usWriter.acked.get(USER));
            long missing = missing(admins.get(DemoServices.US), acked);
            long staysRefused = euWriter.refused.get(STAYS).get() + usWriter.refused.get(STAYS).get();
            ResidencyAudit audit = migration.audit(new MovedTable(notes, "user_id"), DemoServices.EU);
            out.line("%s's rows: us %d, eu %d; acknowledged writes %d, missing in us %d; %s's writes refused %d; audit of eu: %s",
                    USER, inUs, inEu, acked.size(), missing, STAYS, staysRefused, audit.isClean() ? "clean" : audit);
            long keysEu = keys.digest(USER, DemoServices.EU).items();
            long keysUs = keys.digest(USER, DemoServices.US).items();
            long docsEu = docs.digest(USER, DemoServices.EU).items();
            long docsUs = docs.digest(USER, DemoServices.US).items();
            StoreResidencyAudit storeAudit = migration.auditStores(DemoServices.EU);
            out.line("%s's Redis keys: us %d, eu %d; MongoDB documents: us %d, eu %d; audit of eu's Redis and MongoDB: %s",
                    USER, keysUs, keysEu, docsUs, docsEu, storeAudit.clean() ? "clean" : storeAudit);
            boolean redisRefused = false;
            try {
                staleRedis.forUser(USER).set("{" + USER + "}:stale", "x", null, AckPolicy.ALL);
            } catch (RuntimeException e) {
                redisRefused = RedisUserMover.isMovedAway(e);
            }
            boolean mongoRefused = false;
            try {
                staleMongo.forUser(USER).getCollection("move_docs").insertOne(new Document("_id", USER + "/stale")
                        .append("userId", USER).append("region", "eu"));
            } catch (UserMovedAwayException e) {
                mongoRefused = true;
            }
            out.line("an instance still routing %s to eu: Redis write %s, MongoDB write %s", USER,
                    redisRefused ? "refused (moved away)" : "NOT refused", mongoRefused ? "refused (moved away)" : "NOT refused");
            boolean done = migration.status(USER).map(MoveStatus::state).equals(Optional.of(MoveState.DONE));
            return done && keysEu == 0 && keysUs == KEYS && docsEu == 0 && docsUs == DOCS && storeAudit.clean() && redisRefused
                    && mongoRefused && inEu == 0 && inUs == ROWS + acked.size() && missing == 0 && staysRefused == 0 && audit.isClean()
                    && euWriter.failures.isEmpty() && usWriter.failures.isEmpty();
        } finally {
            if (replication != null) {
                replication.teardown();
            }
            for (int i = closeables.size() - 1; i >= 0; i--) {
                closeables.get(i).close();
            }
        }
    }

    private static LogicalReplication replication(DemoContext context, Topology topology, JdbcRegionDirectory directory) {
        LogicalReplication.Builder b = LogicalReplication.builder(topology);
        for (Region r : topology.regions()) {
            PostgresServer s = context.regions.region(r.id()).postgres();
            b.endpoint(r, ReplicationEndpoint.builder().admin(s.superuserDataSource()).host(s.host()).port(s.port())
                    .database(PostgresServer.DATABASE).user(s.superUser()).password(s.superPassword()).allowPlaintext(true).build());
        }
        return b.plan(ReplicationPlan.builder().namePrefix("demomove").global(directory.table()).build()).build();
    }

    private static HikariDataSource pool(List<AutoCloseable> closeables, PostgresServer db, String user, String password) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(db.jdbcUrl());
        c.setUsername(user);
        c.setPassword(password);
        c.setMaximumPoolSize(3);
        c.setMinimumIdle(1);
        c.setPoolName("demo-move-" + db.region() + "-" + user);
        HikariDataSource ds = new HikariDataSource(c);
        closeables.add(ds);
        return ds;
    }

    private static void seed(JdbcRegionDirectory directory, DataSource home, String user, int rows, long firstId) throws SQLException {
        directory.assign(user, DemoServices.EU);
        try (Connection c = home.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO move_notes (id, user_id, body, region) SELECT " + firstId + " + g, '" + user
                    + "', 'row ' || g, 'eu' FROM generate_series(0, " + (rows - 1) + ") g");
        }
    }

    private static long count(DataSource db, String user) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM move_notes WHERE user_id = ?")) {
            ps.setString(1, user);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long missing(DataSource us, List<Long> ids) throws SQLException {
        try (Connection c = us.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM unnest(?::bigint[])"
                + " AS a(id) WHERE NOT EXISTS (SELECT 1 FROM move_notes n WHERE n.id = a.id AND n.region = 'us')")) {
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void await(java.util.concurrent.Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gave up after 20 s");
            }
            Thread.sleep(20);
        }
    }

    /** One application instance: its own pools, cached directory and directory listener. */
    static final class Instance {
        final Map<Region, DataSource> pools = new LinkedHashMap<>();
        final CachingRegionDirectory cache;

        Instance(DemoContext context, Topology topology, Region local, List<AutoCloseable> closeables) {
            for (Region r : topology.regions()) {
                PostgresServer db = context.regions.region(r.id()).postgres();
                pools.put(r, pool(closeables, db, db.appUser(), db.appPassword()));
            }
            JdbcRegionDirectory table = JdbcRegionDirectory.builder(topology.withLocal(local)).dataSources(pools).build();
            cache = CachingRegionDirectory.builder(table).build();
            DirectoryInvalidations feed = DirectoryInvalidations.builder(table, cache)
                    .listenTo(context.regions.region(local.id()).postgres().appDataSource()).build().start();
            closeables.add(feed);
        }
    }

    /** Writes for the moving user and the one who stays, in turn; retries refused writes. */
    static final class Writer implements Runnable {
        final Instance app;
        final AtomicLong ids;
        final Map<String, ConcurrentLinkedQueue<Long>> acked = new ConcurrentHashMap<>();
        final Map<String, AtomicLong> refused = new ConcurrentHashMap<>();
        final Map<Region, Long> firstIn = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<Long> blocked = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Exception> failures = new ConcurrentLinkedQueue<>();
        volatile boolean stop;

        Writer(Instance app, AtomicLong ids) {
            this.app = app;
            this.ids = ids;
            for (String u : List.of(USER, STAYS)) {
                acked.put(u, new ConcurrentLinkedQueue<>());
                refused.put(u, new AtomicLong());
            }
        }

        long longestBlockedMs() {
            return blocked.stream().mapToLong(Long::longValue).max().orElse(0) / 1_000_000;
        }

        @Override
        public void run() {
            int turn = 0;
            while (!stop) {
                String user = turn++ % 2 == 0 ? USER : STAYS;
                long id = ids.incrementAndGet();
                long since = -1;
                while (!stop) {
                    Region region = app.cache.lookup(user).orElseThrow();
                    try (Connection c = app.pools.get(region).getConnection(); PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO move_notes (id, user_id, body, region) VALUES (?, ?, 'w', ?)")) {
                        ps.setLong(1, id);
                        ps.setString(2, user);
                        ps.setString(3, region.id());
                        ps.executeUpdate();
                        long now = System.nanoTime();
                        acked.get(user).add(id);
                        if (since >= 0) {
                            blocked.add(now - since);
                        }
                        if (user.equals(USER)) {
                            firstIn.putIfAbsent(region, now);
                        }
                        break;
                    } catch (SQLException e) {
                        if (MoveGuard.isFrozen(e) || MoveGuard.isMovedAway(e)) {
                            refused.get(user).incrementAndGet();
                            since = since < 0 ? System.nanoTime() : since;
                            if (MoveGuard.isMovedAway(e)) {
                                app.cache.invalidate(user);
                            }
                        } else {
                            failures.add(e);
                        }
                        pause();
                    } catch (RuntimeException e) {
                        failures.add(e);
                        pause();
                    }
                }
                pause();
            }
        }

        private static void pause() {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
