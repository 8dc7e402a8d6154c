package io.regionrouter.benchmarks.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionContext;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.Topology;
import io.regionrouter.jdbc.RegionPoolConfig;
import io.regionrouter.jdbc.RegionalDataSources;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.PostgresServer;
import io.regionrouter.testkit.ServerKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import javax.sql.DataSource;

/**
 * The checkout ratio of {@link RoutingOverheadBenchmark} ({@code getConnection()} plus
 * {@code close()} through the routing data source, against a bare HikariCP pool on the same
 * PostgreSQL) with the router's observation off, a no-op registry and a registry with one handler,
 * measured in interleaved rounds: each round runs every setting and the bare pool once, in a shuffled
 * order, and the ratio of each setting is taken against the bare pool of the same round. On a shared,
 * noisy machine that is steadier than one JMH trial per setting. Reports the median ratio of each
 * setting over the rounds, and every round's figures, as JSON.
 *
 * <pre>{@code
 * flock /tmp/benchmarks.lock java -cp benchmarks/target/benchmarks.jar \
 *     io.regionrouter.benchmarks.jdbc.ObservationOverheadScenario 15 200000 benchmarks/results/jdbc-observation-overhead.json
 * }</pre>
 */
public final class ObservationOverheadScenario {

    private static final List<String> SETTINGS = List.of("bare", "off", "noop", "on");

    private ObservationOverheadScenario() {
    }

    /**
     * Runs the scenario.
     *
     * @param args rounds (default 15), checkouts per setting and round (default 200000), the JSON file
     * @throws Exception if a checkout fails
     */
    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int checkouts = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        Path out = Path.of(args.length > 2 ? args[2] : "benchmarks/results/jdbc-observation-overhead.json");
        Map<String, double[]> opsPerMs = new LinkedHashMap<>();
        SETTINGS.forEach(s -> opsPerMs.put(s, new double[rounds]));
        Random random = new Random(18);
        try (LocalRegions regions = LocalRegions.builder().region("eu", ServerKind.POSTGRES).build().start();
                RegionHealth health = RegionHealth.builder().build()) {
            PostgresServer server = regions.region("eu").postgres();
            Topology topology = Topology.builder().regions("eu").local("eu").primary("eu").build();
            RegionPoolConfig config = RegionPoolConfig.builder().allowPlaintext(true).jdbcUrl(server.jdbcUrl())
                    .username(server.appUser()).password(server.appPassword()).maximumPoolSize(4).build();
            Map<String, DataSource> targets = new LinkedHashMap<>();
            List<AutoCloseable> closing = new ArrayList<>();
            HikariDataSource bare = JdbcBench.barePool(server, "bare");
            closing.add(bare);
            targets.put("bare", bare);
            for (String setting : SETTINGS.subList(1, SETTINGS.size())) {
                RegionalDataSources pg = RegionalDataSources.builder(JdbcBench.aliceInEu(topology, health,
                        JdbcBench.registry(setting))).region(Region.of("eu"), config).build();
                closing.add(pg);
                targets.put(setting, pg.routingDataSource());
            }
            try (RegionContext.Scope scope = RegionContext.forUser("alice").open()) {
                for (DataSource target : targets.values()) {
                    checkouts(target, checkouts); // warm-up
                }
                List<String> order = new ArrayList<>(SETTINGS);
                for (int r = 0; r < rounds; r++) {
                    Collections.shuffle(order, random);
                    for (String setting : order) {
                        long start = System.nanoTime();
                        checkouts(targets.get(setting), checkouts);
                        opsPerMs.get(setting)[r] = checkouts / ((System.nanoTime() - start) / 1e6);
                    }
                    System.out.printf(Locale.ROOT, "round %d: bare %.0f, off %.0f, noop %.0f, on %.0f ops/ms%n", r,
                            opsPerMs.get("bare")[r], opsPerMs.get("off")[r], opsPerMs.get("noop")[r], opsPerMs.get("on")[r]);
                }
            } finally {
                for (AutoCloseable c : closing) {
                    c.close();
                }
            }
        }
        StringBuilder json = new StringBuilder(String.format(Locale.ROOT,
                "{%n  \"scenario\": \"jdbc-observation-overhead\",%n  \"what\": \"getConnection()+close() through the routing"
                        + " data source / the same through a bare HikariCP pool, per interleaved round\",%n"
                        + "  \"checkouts_per_round\": %d,%n  \"rounds\": %d,%n", checkouts, rounds));
        for (String setting : SETTINGS.subList(1, SETTINGS.size())) {
            double[] ratios = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                ratios[r] = opsPerMs.get(setting)[r] / opsPerMs.get("bare")[r];
            }
            json.append(String.format(Locale.ROOT, "  \"median_ratio_%s\": %.3f,%n  \"ratios_%s\": %s,%n", setting,
                    median(ratios), setting, Arrays.toString(round3(ratios))));
        }
        for (String setting : SETTINGS) {
            json.append(String.format(Locale.ROOT, "  \"ops_per_ms_%s\": %s,%n", setting,
                    Arrays.toString(round3(opsPerMs.get(setting)))));
        }
        json.setLength(json.length() - (",%n".formatted().length()));
        json.append(String.format("%n}%n"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, json.toString());
        System.out.println(json);
    }

    private static void checkouts(DataSource target, int count) throws SQLException {
        for (int i = 0; i < count; i++) {
            try (Connection c = target.getConnection()) {
                if (!c.getAutoCommit()) {
                    throw new IllegalStateException("expected auto-commit");
                }
            }
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double[] round3(double[] values) {
        return Arrays.stream(values).map(v -> Math.round(v * 1000) / 1000.0).toArray();
    }
}
