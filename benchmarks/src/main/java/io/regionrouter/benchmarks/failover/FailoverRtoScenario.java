package io.regionrouter.benchmarks.failover;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.StaticRegionDirectory;
import io.regionrouter.core.Topology;
import io.regionrouter.jdbc.RegionPoolConfig;
import io.regionrouter.jdbc.RegionalDataSources;
import io.regionrouter.jdbc.failover.CuratorCoordinator;
import io.regionrouter.jdbc.failover.Durability;
import io.regionrouter.jdbc.failover.FailoverCompletedEvent;
import io.regionrouter.jdbc.failover.FailoverConfig;
import io.regionrouter.jdbc.failover.FailoverGroup;
import io.regionrouter.jdbc.failover.FailoverManager;
import io.regionrouter.jdbc.failover.FailoverReport;
import io.regionrouter.jdbc.failover.PgEndpoint;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.PostgresServer;
import io.regionrouter.testkit.ServerKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.TestingCluster;

/**
 * Failover of a fleet as a scenario, not a JMH benchmark. Each repetition runs two parts, each with
 * three application instances (own router, health, pools and {@link FailoverManager}) writing from
 * one thread each through {@code RegionalDataSources} to a testkit primary with a streaming standby:
 * <ol>
 *   <li><b>COORDINATE</b>, ZooKeeper from a three-server in-JVM {@link TestingCluster}: the primary
 *       is killed. Measured: <b>detection</b> (the promoter's report: last good probe to confirmed
 *       failure and fleet agreement), <b>promotion</b> ({@code pg_promote(wait => true)} and the
 *       check), <b>kill → first acknowledged write</b> on each instance (a write started after the
 *       kill, acknowledged by the new primary), <b>new primary writable → first write</b> on each
 *       instance (the standby polled for leaving recovery), and the number of promotions (must be 1).</li>
 *   <li><b>FOLLOW</b>, no coordinator: the standby is promoted from outside with a plain
 *       {@code pg_promote()} while the old primary stays up. Measured: <b>follow</b>, from
 *       {@code pg_promote} returning to each instance's first write acknowledged by the new primary,
 *       and the rows the old primary acknowledged after {@code pg_promote} returned (it was not
 *       fenced; an HA manager demotes it first).</li>
 * </ol>
 * p50 and p99 over all instances of all repetitions (nearest rank), written as JSON. Target: every
 * instance writes to the new primary within 1 s after it accepts writes; detection within 3 s.
 *
 * <p>Run it under the benchmarks lock, after building the modules:
 * <pre>{@code
 * ./mvnw -B -q -pl core,jdbc-routing,jdbc-failover,testkit install -DskipTests -Dinvoker.skip=true
 * flock /tmp/benchmarks.lock ./mvnw -B -q -pl benchmarks package -DskipTests
 * flock /tmp/benchmarks.lock java -cp benchmarks/target/benchmarks.jar \
 *     io.regionrouter.benchmarks.failover.FailoverRtoScenario 5 benchmarks/results/failover-rto.json
 * }</pre>
 */
public final class FailoverRtoScenario {

    private static final Region US = Region.of("us");
    private static final int INSTANCES = 3;
    private static final Duration SESSION = Duration.ofSeconds(3);

    private FailoverRtoScenario() {
    }

    /** One repetition's figures, in milliseconds, and the counts. */
    record Run(double detection, double promotion, double[] killToFirstWrite, double[] writableToFirstWrite, int promotions,
            double[] follow, long oldPrimaryRowsAfterPromote) {
    }

    /**
     * Runs the scenario.
     *
     * @param args the number of repetitions (default 5, at least 3) and the JSON file to write
     * @throws Exception if a repetition fails
     */
    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "error"));
        int repetitions = args.length > 0 ? Math.max(3, Integer.parseInt(args[0])) : 5;
        Path out = Path.of(args.length > 1 ? args[1] : "benchmarks/results/failover-rto.json");
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < repetitions; i++) {
            Run coordinated = coordinated();
            Run followed = followed();
            Run run = new Run(coordinated.detection(), coordinated.promotion(), coordinated.killToFirstWrite(),
                    coordinated.writableToFirstWrite(), coordinated.promotions(), followed.follow(), followed.oldPrimaryRowsAfterPromote());
            System.out.printf(Locale.ROOT, "repetition %d: detection %.0f ms, promotion %.0f ms, kill->first write %s ms,"
                    + " new primary writable->first write %s ms, promotions %d; follow %s ms, rows on the old primary after"
                    + " pg_promote %d%n", i + 1, run.detection(), run.promotion(), Arrays.toString(run.killToFirstWrite()),
                    Arrays.toString(run.writableToFirstWrite()), run.promotions(), Arrays.toString(run.follow()),
                    run.oldPrimaryRowsAfterPromote());
            runs.add(run);
        }
        String json = json(runs);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, json);
        System.out.println(json);
    }

    /** Part 1: the primary is killed, the coordinated fleet promotes. */
    private static Run coordinated() throws Exception {
        try (LocalRegions regions = LocalRegions.builder().region("us", ServerKind.POSTGRES).build();
                TestingCluster zookeeper = new TestingCluster(INSTANCES)) {
            regions.start();
            zookeeper.start();
            PostgresServer primary = regions.region("us").postgres();
            PostgresServer standby = prepare(primary);
            List<Instance> fleet = new ArrayList<>();
            try {
                for (int n = 0; n < INSTANCES; n++) {
                    fleet.add(Instance.start("app-" + n, primary, standby, zookeeper.getConnectString()));
                }
                fleet.forEach(Instance::startWriting);
                Thread.sleep(SESSION.toMillis() + 1000); // writes flowing; the lease holder's lease of long standing
                long killedAt = System.nanoTime();
                primary.kill();
                long deadAt = System.nanoTime();
                fleet.forEach(i -> i.deadAt.set(deadAt));
                long writableAt = awaitWritable(standby, Duration.ofSeconds(60));
                double[] firstWrite = new double[INSTANCES];
                double[] afterWritable = new double[INSTANCES];
                for (int n = 0; n < INSTANCES; n++) {
                    long ack = fleet.get(n).awaitAckOn(standby.directPort(), Duration.ofSeconds(60));
                    firstWrite[n] = (ack - killedAt) / 1e6;
                    afterWritable[n] = (ack - writableAt) / 1e6;
                }
                Thread.sleep(2000); // a second promotion would show by now
                List<FailoverReport> reports = fleet.stream().flatMap(i -> i.reports.stream()).toList();
                if (reports.isEmpty()) {
                    throw new IllegalStateException("no instance reported the promotion");
                }
                FailoverReport r = reports.get(0);
                return new Run(r.detection().toNanos() / 1e6, r.promotion().toNanos() / 1e6, firstWrite, afterWritable,
                        reports.size(), new double[0], 0);
            } finally {
                fleet.forEach(Instance::close);
            }
        }
    }

    /** Part 2: no coordinator; the standby is promoted from outside while the old primary stays up. */
    private static Run followed() throws Exception {
        try (LocalRegions regions = LocalRegions.builder().region("us", ServerKind.POSTGRES).build()) {
            regions.start();
            PostgresServer primary = regions.region("us").postgres();
            PostgresServer standby = prepare(primary);
            List<Instance> fleet = new ArrayList<>();
            try {
                for (int n = 0; n < INSTANCES; n++) {
                    fleet.add(Instance.start("app-" + n, primary, standby, null));
                }
                fleet.forEach(Instance::startWriting);
                Thread.sleep(1000);
                try (Connection c = standby.superuserDataSource().getConnection(); Statement s = c.createStatement()) {
                    s.execute("SELECT pg_promote(true, 60)");
                }
                long promotedAt = System.nanoTime();
                long onOldAtPromote = count(primary);
                double[] follow = new double[INSTANCES];
                for (int n = 0; n < INSTANCES; n++) {
                    follow[n] = (fleet.get(n).awaitAckOn(standby.directPort(), Duration.ofSeconds(30)) - promotedAt) / 1e6;
                }
                fleet.forEach(Instance::stopWriting);
                return new Run(0, 0, new double[0], new double[0], 0, follow, count(primary) - onOldAtPromote);
            } finally {
                fleet.forEach(Instance::close);
            }
        }
    }

    private static PostgresServer prepare(PostgresServer primary) throws SQLException, InterruptedException {
        PostgresServer standby = primary.createStandby();
        try (Connection c = primary.superuserDataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE writes (id bigserial PRIMARY KEY, instance text NOT NULL)");
            s.execute("GRANT USAGE ON SEQUENCE writes_id_seq TO " + primary.appUser());
        }
        for (int i = 0; i < 400; i++) {
            try (Connection c = standby.superuserDataSource().getConnection(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_class WHERE relname = 'writes'")) {
                rs.next();
                if (rs.getLong(1) == 1) {
                    return standby;
                }
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the standby did not replay CREATE TABLE within 20 s");
    }

    /** Polls the standby until it accepts writes (out of recovery); returns when it first did. */
    private static long awaitWritable(PostgresServer standby, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection c = standby.superuserDataSource().getConnection(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return System.nanoTime();
                }
            } catch (SQLException e) {
                // not answering yet
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("the standby was not promoted within " + max);
    }

    private static long count(PostgresServer server) throws SQLException {
        try (Connection c = server.superuserDataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM writes")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** One application instance with a writer thread that records which server acknowledged each write. */
    private static final class Instance implements AutoCloseable {
        final String name;
        final RegionHealth health;
        final RegionalDataSources pg;
        final FailoverManager manager;
        final CuratorFramework zk;
        final List<FailoverReport> reports;
        final AtomicLong deadAt = new AtomicLong();
        final AtomicBoolean stop = new AtomicBoolean();
        final List<long[]> acks = new CopyOnWriteArrayList<>(); // {startedAt, ackedAt, serverPort}
        Thread writer;

        private Instance(String name, RegionHealth health, RegionalDataSources pg, FailoverManager manager, CuratorFramework zk,
                List<FailoverReport> reports) {
            this.reports = reports;
            this.name = name;
            this.health = health;
            this.pg = pg;
            this.manager = manager;
            this.zk = zk;
        }

        static Instance start(String name, PostgresServer primary, PostgresServer standby, String zkConnect) throws Exception {
            Topology topology = Topology.builder().regions("us").local("us").primary("us").build();
            RegionHealth health = RegionHealth.builder().build();
            RegionRouter router = RegionRouter.builder(topology).directory(StaticRegionDirectory.builder().user("bob", US).build())
                    .health(health).build();
            RegionalDataSources pg = RegionalDataSources.builder(router).region(US, pool(primary)).build();
            FailoverGroup group = FailoverGroup.builder(US).primary(endpoint("us-primary", primary))
                    .standby(endpoint("us-standby", standby)).standbyPool(pool(standby)).primaryPool(pool(primary))
                    .durability(Durability.ASYNCHRONOUS).build();
            List<FailoverReport> reports = new CopyOnWriteArrayList<>();
            FailoverManager.Builder b = FailoverManager.builder(pg).group(group).instanceName(name).listener(e -> {
                if (e instanceof FailoverCompletedEvent c) {
                    reports.add(c.report());
                }
            });
            CuratorFramework zk = null;
            if (zkConnect != null) {
                zk = CuratorFrameworkFactory.builder().connectString(zkConnect).sessionTimeoutMs((int) SESSION.toMillis())
                        .connectionTimeoutMs(2000).retryPolicy(new ExponentialBackoffRetry(100, 3)).build();
                zk.start();
                zk.blockUntilConnected(20, TimeUnit.SECONDS);
                b.coordinator(CuratorCoordinator.builder(zk).basePath("/rto").instanceName(name).leaseDuration(SESSION).build());
            }
            return new Instance(name, health, pg, b.build(), zk, reports);
        }

        void startWriting() {
            writer = new Thread(() -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                while (!stop.get() && System.nanoTime() < deadline) {
                    long startedAt = System.nanoTime();
                    try (Connection c = pg.forUser("bob").getConnection();
                            PreparedStatement ps = c.prepareStatement("INSERT INTO writes (instance) VALUES (?) RETURNING inet_server_port()")) {
                        ps.setString(1, name);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            acks.add(new long[] {startedAt, System.nanoTime(), rs.getInt(1)});
                        }
                    } catch (SQLException | RuntimeException e) {
                        sleep(5);
                    }
                    sleep(2);
                }
            }, name + "-writer");
            writer.setDaemon(true);
            writer.start();
        }

        /** Waits for the first write acknowledged by the server on that port; returns when it was acknowledged. */
        long awaitAckOn(int port, Duration max) throws InterruptedException {
            long deadline = System.nanoTime() + max.toNanos();
            while (System.nanoTime() < deadline) {
                for (long[] a : acks) {
                    if (a[2] == port && a[0] >= deadAt.get()) {
                        return a[1];
                    }
                }
                Thread.sleep(2);
            }
            throw new IllegalStateException(name + ": no write acknowledged by port " + port + " within " + max);
        }

        void stopWriting() {
            stop.set(true);
        }

        @Override
        public void close() {
            stop.set(true);
            try {
                if (writer != null) {
                    writer.join(10_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            manager.close();
            pg.close();
            health.close();
            if (zk != null) {
                zk.close();
            }
        }
    }

    private static RegionPoolConfig pool(PostgresServer server) {
        return RegionPoolConfig.builder().allowPlaintext(true).jdbcUrl(server.jdbcUrl()).username(server.appUser())
                .password(server.appPassword()).maximumPoolSize(4).minimumIdle(1).build();
    }

    private static PgEndpoint endpoint(String name, PostgresServer server) {
        return new PgEndpoint(name, US, server.jdbcUrl(), server.superUser(), server.superPassword()).allowingPlaintext();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String json(List<Run> runs) {
        StringBuilder sb = new StringBuilder("{\n  \"scenario\": \"failover-rto (three instances)\",\n");
        sb.append("  \"config\": \"").append(FailoverConfig.defaults()).append("\",\n");
        sb.append("  \"repetitions\": ").append(runs.size()).append(",\n");
        sb.append("  \"instances\": ").append(INSTANCES).append(",\n");
        sb.append("  \"targets_ms\": {\"detection\": 3000, \"follow\": 1000},\n");
        sb.append(metric("detection_ms", runs.stream().mapToDouble(Run::detection).toArray())).append(",\n");
        sb.append(metric("promotion_ms", runs.stream().mapToDouble(Run::promotion).toArray())).append(",\n");
        sb.append(metric("kill_to_first_write_ms", runs.stream().flatMapToDouble(r -> Arrays.stream(r.killToFirstWrite())).toArray()))
                .append(",\n");
        sb.append(metric("new_primary_writable_to_first_write_ms",
                runs.stream().flatMapToDouble(r -> Arrays.stream(r.writableToFirstWrite())).toArray())).append(",\n");
        sb.append(metric("follow_after_external_promotion_ms", runs.stream().flatMapToDouble(r -> Arrays.stream(r.follow())).toArray()))
                .append(",\n");
        sb.append("  \"promotions_per_kill\": ").append(Arrays.toString(runs.stream().mapToInt(Run::promotions).toArray())).append(",\n");
        sb.append("  \"old_primary_rows_after_external_pg_promote\": ")
                .append(Arrays.toString(runs.stream().mapToLong(Run::oldPrimaryRowsAfterPromote).toArray())).append("\n}\n");
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

    /** Nearest-rank percentile of sorted values. */
    private static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
