package io.regionrouter.benchmarks.failover;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.StaticRegionDirectory;
import io.regionrouter.core.Topology;
import io.regionrouter.jdbc.RegionPoolConfig;
import io.regionrouter.jdbc.RegionalDataSources;
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
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Failover RTO as a scenario, not a JMH benchmark: each repetition starts a PostgreSQL primary with a
 * streaming standby from the testkit, writes through {@code RegionalDataSources} from one thread,
 * kills the primary and measures, with the default {@link FailoverConfig}:
 * <ul>
 *   <li><b>detection</b>: from the kill to the confirmed failure (the report's detection is measured
 *       from the last good probe, so the scenario uses the kill time instead);</li>
 *   <li><b>promotion</b>: {@code pg_promote(wait => true)} plus the writability check;</li>
 *   <li><b>firstWrite</b>: from the end of the promotion to the first committed write on the new primary;</li>
 *   <li><b>rto</b>: from the kill to the first acknowledged write that the writer started after the
 *       primary was gone.</li>
 * </ul>
 * Targets: detection &le; 3 s, first write &le; 2 s after promotion. p50 and p99 over the repetitions
 * (with few repetitions p99 is the maximum), written as JSON.
 *
 * <p>Run it under the benchmarks lock, after building the module:
 * <pre>{@code
 * ./mvnw -B -q -pl jdbc-routing install -DskipTests
 * flock /tmp/benchmarks.lock ./mvnw -B -q -pl benchmarks package -DskipTests
 * flock /tmp/benchmarks.lock java -cp benchmarks/target/benchmarks.jar \
 *     io.regionrouter.benchmarks.failover.FailoverRtoScenario 7 benchmarks/results/failover-rto.json
 * }</pre>
 */
public final class FailoverRtoScenario {

    private static final Region US = Region.of("us");

    private FailoverRtoScenario() {
    }

    /** One repetition's timings, in milliseconds. */
    record Run(double detection, double promotion, double firstWrite, double rto) {
    }

    /**
     * Runs the scenario.
     *
     * @param args the number of repetitions (default 7, at least 5) and the JSON file to write
     * @throws Exception if a repetition fails
     */
    public static void main(String[] args) throws Exception {
        // keep the scenario's own lines readable among the servers' logs
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        int repetitions = args.length > 0 ? Math.max(5, Integer.parseInt(args[0])) : 7;
        Path out = Path.of(args.length > 1 ? args[1] : "benchmarks/results/failover-rto.json");
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < repetitions; i++) {
            Run run = once();
            System.out.printf(Locale.ROOT, "repetition %d: detection %.0f ms, promotion %.0f ms, first write %.0f ms, rto %.0f ms%n",
                    i + 1, run.detection(), run.promotion(), run.firstWrite(), run.rto());
            runs.add(run);
        }
        String json = json(runs);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, json);
        System.out.println(json);
    }

    private static Run once() throws Exception {
        try (LocalRegions regions = LocalRegions.builder().region("us", ServerKind.POSTGRES).build()) {
            regions.start();
            PostgresServer primary = regions.region("us").postgres();
            PostgresServer standby = primary.createStandby();
            try (Connection c = primary.superuserDataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE writes (id bigint PRIMARY KEY)");
            }
            awaitTable(standby);
            Topology topology = Topology.builder().regions("us").local("us").primary("us").build();
            try (RegionHealth health = RegionHealth.builder().build()) {
                RegionRouter router = RegionRouter.builder(topology)
                        .directory(StaticRegionDirectory.builder().user("bob", US).build()).health(health).build();
                try (RegionalDataSources pg = RegionalDataSources.builder(router).region(US, pool(primary)).build()) {
                    CompletableFuture<FailoverReport> done = new CompletableFuture<>();
                    FailoverGroup group = FailoverGroup.builder(US).primary(endpoint("us-primary", primary))
                            .standby(endpoint("us-standby", standby)).standbyPool(pool(standby))
                            .durability(Durability.ASYNCHRONOUS).build();
                    try (FailoverManager manager = FailoverManager.builder(pg).group(group).singleInstance().listener(e -> {
                        if (e instanceof FailoverCompletedEvent c) {
                            done.complete(c.report());
                        }
                    }).build()) {
                        return measure(pg, primary, done);
                    }
                }
            }
        }
    }

    private static Run measure(RegionalDataSources pg, PostgresServer primary, CompletableFuture<FailoverReport> done)
            throws Exception {
        AtomicLong killedAt = new AtomicLong();
        AtomicLong deadAt = new AtomicLong(); // kill() returned: the server process is gone
        AtomicLong firstAckAfterKill = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (long id = 1; !stop.get() && System.nanoTime() < deadline; id++) {
                long startedAt = System.nanoTime();
                try (Connection c = pg.forUser("bob").getConnection();
                        PreparedStatement ps = c.prepareStatement("INSERT INTO writes (id) VALUES (?)")) {
                    ps.setLong(1, id);
                    ps.executeUpdate();
                    long dead = deadAt.get();
                    if (dead != 0 && startedAt > dead) { // a write started once the primary was gone
                        firstAckAfterKill.set(System.nanoTime());
                        return;
                    }
                } catch (SQLException | RuntimeException e) {
                    sleep(5);
                }
            }
        }, "rto-writer");
        writer.start();
        Thread.sleep(1500); // writes flowing and at least one WAL sample
        killedAt.set(System.nanoTime());
        primary.kill();
        deadAt.set(System.nanoTime());
        FailoverReport report = done.get(30, TimeUnit.SECONDS);
        long completedAt = System.nanoTime();
        writer.join(30_000);
        stop.set(true);
        if (firstAckAfterKill.get() == 0) {
            throw new IllegalStateException("no write was acknowledged after the failover");
        }
        double toFailoverMs = (completedAt - killedAt.get()) / 1e6;
        double promotion = report.promotion().toNanos() / 1e6;
        double firstWrite = report.firstWrite().toNanos() / 1e6;
        double detection = Math.max(0, toFailoverMs - promotion - firstWrite);
        return new Run(detection, promotion, firstWrite, (firstAckAfterKill.get() - killedAt.get()) / 1e6);
    }

    private static void awaitTable(PostgresServer standby) throws SQLException, InterruptedException {
        for (int i = 0; i < 400; i++) {
            try (Connection c = standby.superuserDataSource().getConnection(); Statement s = c.createStatement();
                    var rs = s.executeQuery("SELECT count(*) FROM pg_class WHERE relname = 'writes'")) {
                rs.next();
                if (rs.getLong(1) == 1) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the standby did not replay CREATE TABLE within 20 s");
    }

    private static RegionPoolConfig pool(PostgresServer server) {
        return RegionPoolConfig.builder().allowPlaintext(true).jdbcUrl(server.jdbcUrl()).username(server.appUser()).password(server.appPassword())
                .maximumPoolSize(4).minimumIdle(1).build();
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
        StringBuilder sb = new StringBuilder("{\n  \"scenario\": \"failover-rto\",\n");
        sb.append("  \"config\": \"").append(FailoverConfig.defaults()).append("\",\n");
        sb.append("  \"repetitions\": ").append(runs.size()).append(",\n");
        sb.append("  \"targets_ms\": {\"detection\": 3000, \"firstWrite\": 2000},\n");
        sb.append(metric("detection_ms", runs.stream().mapToDouble(Run::detection).toArray())).append(",\n");
        sb.append(metric("promotion_ms", runs.stream().mapToDouble(Run::promotion).toArray())).append(",\n");
        sb.append(metric("firstWrite_ms", runs.stream().mapToDouble(Run::firstWrite).toArray())).append(",\n");
        sb.append(metric("rto_ms", runs.stream().mapToDouble(Run::rto).toArray())).append("\n}\n");
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
