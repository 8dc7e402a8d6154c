package io.regionrouter.benchmarks.migration;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.regionrouter.core.Region;
import io.regionrouter.core.Topology;
import io.regionrouter.jdbc.JdbcRegionDirectory;
import io.regionrouter.jdbc.RegionMigration;
import io.regionrouter.jdbc.ResidencySchema;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.PostgresServer;
import io.regionrouter.testkit.ServerKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * What the move guard costs a user who never moved: single-row inserts of the application role
 * into a residency table, with the guard's trigger enabled and disabled in alternating rounds on the
 * same server (the testkit's PostgreSQL 17, no added latency). Reports the mean time per insert of
 * each and their ratio, as JSON.
 *
 * <pre>{@code
 * flock /tmp/benchmarks.lock java -cp benchmarks/target/benchmarks.jar \
 *     io.regionrouter.benchmarks.migration.MoveGuardOverheadScenario 6 3000 benchmarks/results/move-guard-overhead.json
 * }</pre>
 */
public final class MoveGuardOverheadScenario {

    private MoveGuardOverheadScenario() {
    }

    /**
     * Runs the scenario.
     *
     * @param args rounds per mode (default 6), inserts per round (default 3000), the JSON file
     * @throws Exception if a round fails
     */
    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        int inserts = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
        Path out = Path.of(args.length > 2 ? args[2] : "benchmarks/results/move-guard-overhead.json");
        Topology topology = Topology.builder().regions("us", "eu").local("us").primary("us").build();
        Region us = Region.of("us");
        double[] on = new double[rounds];
        double[] off = new double[rounds];
        try (LocalRegions regions = LocalRegions.builder().region("us", ServerKind.POSTGRES).region("eu", ServerKind.POSTGRES)
                .build().start()) {
            PostgresServer s = regions.region("us").postgres();
            PostgresServer e = regions.region("eu").postgres();
            JdbcRegionDirectory directory = JdbcRegionDirectory.builder(topology)
                    .dataSources(Map.of(us, s.superuserDataSource(), Region.of("eu"), e.superuserDataSource())).build();
            ResidencySchema notes = ResidencySchema.builder(topology).table("notes").column("id", "bigint NOT NULL")
                    .column("user_id", "text NOT NULL").column("body", "text").primaryKey("id").appRole(s.appUser()).build();
            for (PostgresServer server : new PostgresServer[] {s, e}) {
                directory.createTable(server.superuserDataSource());
            }
            notes.apply(s.superuserDataSource(), us);
            notes.apply(e.superuserDataSource(), Region.of("eu"));
            RegionMigration.builder(directory).table(notes, "user_id").admin(us, s.superuserDataSource())
                    .admin(Region.of("eu"), e.superuserDataSource()).build().installSchema();
            // a few users who did move away, so the fence table is not empty
            try (Connection c = s.superuserDataSource().getConnection(); Statement st = c.createStatement()) {
                st.execute("INSERT INTO region_router_fence (user_id, state, epoch) SELECT 'gone-' || g, 'moved', 2"
                        + " FROM generate_series(1, 1000) g");
            }
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(s.jdbcUrl());
            config.setUsername(s.appUser());
            config.setPassword(s.appPassword());
            config.setMaximumPoolSize(2);
            long id = 0;
            try (HikariDataSource app = new HikariDataSource(config)) {
                id = round(app, id, 500); // warm-up
                for (int r = 0; r < rounds; r++) {
                    guard(s, true);
                    long start = System.nanoTime();
                    id = round(app, id, inserts);
                    on[r] = (System.nanoTime() - start) / 1e3 / inserts;
                    guard(s, false);
                    start = System.nanoTime();
                    id = round(app, id, inserts);
                    off[r] = (System.nanoTime() - start) / 1e3 / inserts;
                    System.out.printf(Locale.ROOT, "round %d: guard on %.1f us/insert, off %.1f us/insert%n", r, on[r], off[r]);
                }
            }
        }
        double meanOn = Arrays.stream(on).average().orElse(Double.NaN);
        double meanOff = Arrays.stream(off).average().orElse(Double.NaN);
        String json = String.format(Locale.ROOT, "{%n  \"scenario\": \"move-guard-overhead\",%n  \"inserts_per_round\": %d,%n"
                + "  \"rounds\": %d,%n  \"guard_on_us_per_insert\": %.1f,%n  \"guard_off_us_per_insert\": %.1f,%n"
                + "  \"ratio_on_to_off\": %.3f,%n  \"on_runs\": %s,%n  \"off_runs\": %s%n}%n", inserts, rounds, meanOn, meanOff,
                meanOn / meanOff, Arrays.toString(on), Arrays.toString(off));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, json);
        System.out.println(json);
    }

    private static void guard(PostgresServer s, boolean enabled) throws Exception {
        try (Connection c = s.superuserDataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("ALTER TABLE notes " + (enabled ? "ENABLE" : "DISABLE") + " TRIGGER notes_move_guard");
        }
    }

    private static long round(HikariDataSource app, long id, int inserts) throws Exception {
        try (Connection c = app.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO notes (id, user_id, body, region) VALUES (?, ?, 'x', 'us')")) {
            for (int i = 0; i < inserts; i++) {
                ps.setLong(1, ++id);
                ps.setString(2, "user-" + (id % 500));
                ps.executeUpdate();
            }
        }
        return id;
    }
}
