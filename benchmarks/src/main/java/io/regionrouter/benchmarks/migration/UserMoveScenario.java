package io.regionrouter.benchmarks.migration;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.regionrouter.core.CachingRegionDirectory;
import io.regionrouter.core.Region;
import io.regionrouter.core.Topology;
import io.regionrouter.jdbc.DirectoryInvalidations;
import io.regionrouter.jdbc.JdbcRegionDirectory;
import io.regionrouter.jdbc.MoveGuard;
import io.regionrouter.jdbc.MoveState;
import io.regionrouter.jdbc.RegionMigration;
import io.regionrouter.jdbc.ResidencySchema;
import io.regionrouter.jdbc.replication.LogicalReplication;
import io.regionrouter.jdbc.replication.ReplicationEndpoint;
import io.regionrouter.jdbc.replication.ReplicationPlan;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.PostgresServer;
import io.regionrouter.testkit.ServerKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Moving a user as a scenario: us (the primary, which publishes the directory) and eu on the
 * testkit's PostgreSQL 17 servers, 40 ms apart. Two application instances, one per region, each
 * with its own pools, {@link CachingRegionDirectory} and {@link DirectoryInvalidations}, write
 * continuously for the moving user and for a user who stays. Each repetition moves a fresh user
 * with {@code rows} rows from eu to us with {@link RegionMigration} and measures:
 * <ul>
 *   <li><b>copy rows/s</b>: rows copied by the first copy step over its duration;</li>
 *   <li><b>move</b>: the whole {@code move()} call, up to the fence;</li>
 *   <li><b>blocked</b>: how long one write of the moving user was refused (frozen, then moved away)
 *       before it was acknowledged, the longest per repetition (the freeze window the user sees);</li>
 *   <li><b>follow</b>: from the flip to each instance's first acknowledged write in us;</li>
 *   <li><b>newUser</b>: from assigning a new user on the us instance to the eu instance routing it,
 *       although it held a negative entry.</li>
 * </ul>
 * Targets: blocked p99 &le; 2000 ms, follow &le; 1000 ms, newUser &le; 1000 ms. Written as JSON.
 *
 * <pre>{@code
 * ./mvnw -B -q -pl core,testkit,jdbc-routing install -DskipTests
 * flock /tmp/benchmarks.lock ./mvnw -B -q -pl benchmarks package -DskipTests
 * flock /tmp/benchmarks.lock java -cp benchmarks/target/benchmarks.jar \
 *     io.regionrouter.benchmarks.migration.UserMoveScenario 5 10000 benchmarks/results/user-move.json
 * }</pre>
 */
public final class UserMoveScenario {

    private static final Region US = Region.of("us");
    private static final Region EU = Region.of("eu");
    private static final Topology TOPOLOGY = Topology.builder().regions("us", "eu").local("us").primary("us").build();

    private UserMoveScenario() {
    }

    /** One repetition, in ms (rows/s for the copy). */
    record Run(double copyRowsPerSecond, double move, double blocked, double followUs, double followEu, double newUser) {
    }

    /**
     * Runs the scenario.
     *
     * @param args repetitions (default 5), rows per moving user (default 10000), the JSON file to write
     * @throws Exception if a repetition fails
     */
    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        int repetitions = args.length > 0 ? Math.max(1, Integer.parseInt(args[0])) : 5;
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        Path out = Path.of(args.length > 2 ? args[2] : "benchmarks/results/user-move.json");
        List<Run> runs = new ArrayList<>();
        try (LocalRegions regions = LocalRegions.builder().region("us", ServerKind.POSTGRES).region("eu", ServerKind.POSTGRES)
                .build().start()) {
            Setup setup = new Setup(regions);
            try {
                Instance usApp = setup.instance(US);
                Instance euApp = setup.instance(EU);
                for (int i = 0; i < repetitions; i++) {
                    Run run = once(setup, usApp, euApp, "mover-" + i, rows, 1_000_000L * (i + 1));
                    System.out.println(run);
                    runs.add(run);
                }
                usApp.feed.close();
                euApp.feed.close();
            } finally {
                setup.replication.teardown();
                setup.pools.forEach(HikariDataSource::close);
            }
        }
        String json = json(runs, rows);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, json);
        System.out.println(json);
    }

    private static Run once(Setup setup, Instance usApp, Instance euApp, String user, int rows, long firstId) throws Exception {
        setup.seed(user, EU, rows, firstId);
        setup.seed(user + "-stays", EU, 10, firstId + rows + 10);
        for (String u : List.of(user, user + "-stays")) {
            awaitRouted(euApp, u, EU);
            awaitRouted(usApp, u, EU);
        }
        AtomicLong ids = new AtomicLong(firstId + 500_000);
        Writer usWriter = new Writer(usApp, List.of(user, user + "-stays"), user, ids);
        Writer euWriter = new Writer(euApp, List.of(user, user + "-stays"), user, ids);
        Thread t1 = new Thread(usWriter, "writer-us");
        Thread t2 = new Thread(euWriter, "writer-eu");
        Map<MoveState, Long> at = new EnumMap<>(MoveState.class);
        RegionMigration migration = setup.migration((status, detail) -> at.put(status.state(), System.nanoTime()));
        t1.start();
        t2.start();
        try {
            Thread.sleep(200);
            long start = System.nanoTime();
            migration.move(user, US);
            double move = (System.nanoTime() - start) / 1e6;
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!(usWriter.firstIn.containsKey(US) && euWriter.firstIn.containsKey(US)) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            usWriter.stop = true;
            euWriter.stop = true;
            t1.join(10_000);
            t2.join(10_000);
            long flip = at.get(MoveState.FLIPPED);
            double copySeconds = (at.get(MoveState.COPIED) - at.get(MoveState.PLANNED)) / 1e9;
            List<Long> blocked = new ArrayList<>(usWriter.blocked);
            blocked.addAll(euWriter.blocked);
            if (!usWriter.failures.isEmpty() || !euWriter.failures.isEmpty()) {
                throw new IllegalStateException("unexpected write failures: " + usWriter.failures.peek() + " " + euWriter.failures.peek());
            }
            return new Run(rows / copySeconds, move, blocked.stream().mapToLong(Long::longValue).max().orElse(0) / 1e6,
                    (usWriter.firstIn.getOrDefault(US, Long.MAX_VALUE) - flip) / 1e6,
                    (euWriter.firstIn.getOrDefault(US, Long.MAX_VALUE) - flip) / 1e6, newUser(usApp, euApp, user + "-new"));
        } finally {
            usWriter.stop = true;
            euWriter.stop = true;
        }
    }

    private static double newUser(Instance usApp, Instance euApp, String user) throws Exception {
        if (euApp.cache.lookup(user).isPresent()) {
            throw new IllegalStateException(user + " exists already");
        }
        long start = System.nanoTime();
        usApp.table.assign(user, EU);
        long deadline = start + 10_000_000_000L;
        while (!euApp.cache.lookup(user).equals(Optional.of(EU))) {
            if (System.nanoTime() > deadline) {
                return Double.NaN;
            }
            Thread.sleep(2);
        }
        return (System.nanoTime() - start) / 1e6;
    }

    private static void awaitRouted(Instance app, String user, Region home) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        app.cache.invalidate(user);
        while (!app.cache.lookup(user).equals(Optional.of(home))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(user + " not routed to " + home);
            }
            Thread.sleep(20);
            app.cache.invalidate(user);
        }
    }

    /** The servers, the directory replicated from us, a regulated table, and the superuser pools. */
    static final class Setup {
        final LocalRegions regions;
        final Map<Region, HikariDataSource> admins = new LinkedHashMap<>();
        final List<HikariDataSource> pools = new ArrayList<>();
        final JdbcRegionDirectory directory;
        final ResidencySchema notes;
        final LogicalReplication replication;

        Setup(LocalRegions regions) throws Exception {
            this.regions = regions;
            for (Region r : TOPOLOGY.regions()) {
                admins.put(r, pool(server(r), server(r).superUser(), server(r).superPassword(), 4));
            }
            directory = JdbcRegionDirectory.builder(TOPOLOGY).dataSources(Map.copyOf(admins)).build();
            notes = ResidencySchema.builder(TOPOLOGY).table("notes").column("id", "bigint NOT NULL")
                    .column("user_id", "text NOT NULL").column("body", "text").primaryKey("id").appRole(server(US).appUser()).build();
            for (Region r : TOPOLOGY.regions()) {
                directory.createTable(admins.get(r));
                notes.apply(admins.get(r), r);
            }
            LogicalReplication.Builder b = LogicalReplication.builder(TOPOLOGY);
            for (Region r : TOPOLOGY.regions()) {
                PostgresServer s = server(r);
                b.endpoint(r, ReplicationEndpoint.builder().admin(s.superuserDataSource()).host(s.host()).port(s.port())
                        .database(PostgresServer.DATABASE).user(s.superUser()).password(s.superPassword()).allowPlaintext(true)
                        .build());
            }
            replication = b.plan(ReplicationPlan.builder().namePrefix("move").global(directory.table()).build()).build();
            replication.apply();
            replication.awaitInitialSync(Duration.ofSeconds(60));
            migration(null).installSchema();
        }

        RegionMigration migration(io.regionrouter.jdbc.MigrationListener listener, io.regionrouter.core.UserDataMover... movers) {
            RegionMigration.Builder b = RegionMigration.builder(directory).table(notes, "user_id").appRole(server(US).appUser())
                    .retention(Duration.ofDays(1));
            for (io.regionrouter.core.UserDataMover m : movers) {
                b.mover(m);
            }
            admins.forEach(b::admin);
            if (listener != null) {
                b.listener(listener);
            }
            return b.build();
        }

        PostgresServer server(Region r) {
            return regions.region(r.id()).postgres();
        }

        Instance instance(Region local) {
            Map<Region, DataSource> app = new LinkedHashMap<>();
            for (Region r : TOPOLOGY.regions()) {
                app.put(r, pool(server(r), server(r).appUser(), server(r).appPassword(), 3));
            }
            Topology topology = TOPOLOGY.withLocal(local);
            JdbcRegionDirectory table = JdbcRegionDirectory.builder(topology).dataSources(app).build();
            CachingRegionDirectory cache = CachingRegionDirectory.builder(table).negativeTtl(Duration.ofMinutes(5)).build();
            DirectoryInvalidations feed = DirectoryInvalidations.builder(table, cache).listenTo(server(local).appDataSource())
                    .build().start();
            return new Instance(table, cache, feed, app);
        }

        void seed(String user, Region home, int rows, long firstId) throws SQLException {
            directory.assign(user, home);
            try (Connection c = admins.get(home).getConnection(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO notes (id, user_id, body, region) SELECT " + firstId + " + g, '" + user + "', 'seed ' || g, '"
                        + home.id() + "' FROM generate_series(0, " + (rows - 1) + ") g");
            }
        }

        private HikariDataSource pool(PostgresServer s, String user, String password, int size) {
            HikariConfig c = new HikariConfig();
            c.setJdbcUrl(s.jdbcUrl());
            c.setUsername(user);
            c.setPassword(password);
            c.setMaximumPoolSize(size);
            c.setMinimumIdle(1);
            c.setPoolName("user-move-" + s.region() + "-" + user);
            HikariDataSource ds = new HikariDataSource(c);
            pools.add(ds);
            return ds;
        }
    }

    record Instance(JdbcRegionDirectory table, CachingRegionDirectory cache, DirectoryInvalidations feed, Map<Region, DataSource> pools) {
    }

    /** Writes for its users in turn; retries a refused write; records how long each was refused. */
    static final class Writer implements Runnable {
        final Instance app;
        final List<String> users;
        final String watched;
        final AtomicLong ids;
        final ConcurrentLinkedQueue<Long> blocked = new ConcurrentLinkedQueue<>();
        final Map<Region, Long> firstIn = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<SQLException> failures = new ConcurrentLinkedQueue<>();
        volatile boolean stop;

        Writer(Instance app, List<String> users, String watched, AtomicLong ids) {
            this.app = app;
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
                long since = -1;
                while (!stop) {
                    Optional<Region> home = app.cache().lookup(user);
                    if (home.isEmpty()) {
                        failures.add(new SQLException("user " + user + " unknown to the instance"));
                        break;
                    }
                    Region region = home.get();
                    try (Connection c = app.pools().get(region).getConnection(); PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO notes (id, user_id, body, region) VALUES (?, ?, 'w', ?)")) {
                        ps.setLong(1, id);
                        ps.setString(2, user);
                        ps.setString(3, region.id());
                        ps.executeUpdate();
                        long now = System.nanoTime();
                        if (since >= 0) {
                            blocked.add(now - since);
                        }
                        if (user.equals(watched)) {
                            firstIn.putIfAbsent(region, now);
                        }
                        break;
                    } catch (SQLException e) {
                        if (MoveGuard.isFrozen(e) || MoveGuard.isMovedAway(e)) {
                            since = since < 0 ? System.nanoTime() : since;
                            if (MoveGuard.isMovedAway(e)) {
                                app.cache().invalidate(user);
                            }
                        } else {
                            failures.add(e);
                        }
                        sleep(10);
                    }
                }
                sleep(2);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String json(List<Run> runs, int rows) {
        StringBuilder sb = new StringBuilder("{\n  \"scenario\": \"user-move\",\n");
        sb.append("  \"rows_per_user\": ").append(rows).append(",\n");
        sb.append("  \"repetitions\": ").append(runs.size()).append(",\n");
        sb.append("  \"targets_ms\": {\"blocked_p99\": 2000, \"follow\": 1000, \"newUser\": 1000},\n");
        sb.append(metric("copy_rows_per_s", runs.stream().mapToDouble(Run::copyRowsPerSecond).toArray())).append(",\n");
        sb.append(metric("move_ms", runs.stream().mapToDouble(Run::move).toArray())).append(",\n");
        sb.append(metric("blocked_ms", runs.stream().mapToDouble(Run::blocked).toArray())).append(",\n");
        sb.append(metric("follow_us_instance_ms", runs.stream().mapToDouble(Run::followUs).toArray())).append(",\n");
        sb.append(metric("follow_eu_instance_ms", runs.stream().mapToDouble(Run::followEu).toArray())).append(",\n");
        sb.append(metric("new_user_ms", runs.stream().mapToDouble(Run::newUser).toArray())).append("\n}\n");
        return sb.toString();
    }

    private static String metric(String name, double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        StringBuilder raw = new StringBuilder();
        for (double v : values) {
            raw.append(raw.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.1f", v));
        }
        return String.format(Locale.ROOT, "  \"%s\": {\"p50\": %.1f, \"p99\": %.1f, \"max\": %.1f, \"runs\": [%s]}", name,
                percentile(sorted, 0.50), percentile(sorted, 0.99), sorted[sorted.length - 1], raw);
    }

    private static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
