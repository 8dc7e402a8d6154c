package io.regionrouter.benchmarks.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.regionrouter.core.HealthConfig;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionContext;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.Topology;
import io.regionrouter.jdbc.RegionPoolConfig;
import io.regionrouter.jdbc.RegionalDataSources;
import io.regionrouter.jdbc.RegionalJdbcConfig;
import io.regionrouter.jdbc.StartupMode;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.PostgresServer;
import io.regionrouter.testkit.ServerKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A point read for an eu user, seen from eu, with us and ap 40 ms away one way (testkit
 * {@code viewFrom("eu")}). Three setups, measured in the same run:
 * <ul>
 *   <li>{@code router}: the routing data source with the user's {@code RegionContext}; it reads eu;</li>
 *   <li>{@code directLocal}: a bare HikariCP pool on eu, the best case;</li>
 *   <li>{@code farPrimary}: a bare HikariCP pool on a single primary in us, the setup the router replaces.</li>
 * </ul>
 * Targets: router p50 at most 1.1x directLocal, and at least 10x faster than farPrimary.
 *
 * <p>Run briefly and write JSON next to the other results:
 * <pre>{@code
 * ./mvnw -B -q -pl benchmarks -am package -DskipTests
 * flock /tmp/benchmarks.lock java -jar benchmarks/target/benchmarks.jar GeographyBenchmark \
 *     -f 1 -wi 1 -w 2s -i 3 -r 3s -rf json -rff benchmarks/results/jdbc-geography.json
 * }</pre>
 * SampleTime mode, so JMH reports p50 and p99 per setup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@Threads(1)
public class GeographyBenchmark {

    private static final Region US = Region.of("us");
    private static final Region EU = Region.of("eu");
    private static final Region AP = Region.of("ap");

    @Param({"router", "directLocal", "farPrimary"})
    public String target;

    private LocalRegions regions;
    private RegionHealth health;
    private RegionalDataSources pg;
    private HikariDataSource bare;
    private DataSource dataSource;

    @Setup(Level.Trial)
    public void setUp() throws SQLException {
        regions = LocalRegions.builder().region("us", ServerKind.POSTGRES).region("eu", ServerKind.POSTGRES)
                .region("ap", ServerKind.POSTGRES).interRegionDelay(Duration.ofMillis(40)).build();
        regions.start();
        for (String r : regions.names()) {
            try (Connection c = regions.region(r).postgres().superuserDataSource().getConnection();
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS profiles (id bigint PRIMARY KEY, name text NOT NULL)");
                s.execute("INSERT INTO profiles SELECT g, 'user-' || g FROM generate_series(1, 1000) g ON CONFLICT DO NOTHING");
            }
        }
        Topology topology = Topology.builder().regions("us", "eu", "ap").local("eu").primary("us").build();
        health = RegionHealth.builder().config(HealthConfig.builder().interval(Duration.ofSeconds(1))
                .timeout(Duration.ofSeconds(1)).build()).build();
        RegionRouter router = JdbcBench.aliceInEu(topology, health);
        pg = RegionalDataSources.builder(router).config(RegionalJdbcConfig.builder().startup(StartupMode.LAZY).build())
                .region(US, pool(US, 2)).region(EU, pool(EU, 4)).region(AP, pool(AP, 2)).build();
        PostgresServer baseline = regions.region("directLocal".equals(target) ? "eu" : "us").postgres();
        bare = JdbcBench.barePool(baseline, "baseline");
        dataSource = "router".equals(target) ? pg.routingDataSource() : bare;
        regions.viewFrom("eu");
    }

    private RegionPoolConfig pool(Region region, int size) {
        PostgresServer server = regions.region(region.id()).postgres();
        return RegionPoolConfig.builder().allowPlaintext(true).jdbcUrl(server.jdbcUrl()).username(server.appUser())
                .password(server.appPassword()).maximumPoolSize(size).minimumIdle(1).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        bare.close();
        pg.close();
        health.close();
        regions.close();
    }

    /** Binds alice's (eu) context to the benchmark thread and walks through her profile ids. */
    @State(Scope.Thread)
    public static class Context {
        private RegionContext.Scope scope;
        long next;

        @Setup(Level.Trial)
        public void open() {
            scope = RegionContext.forUser("alice").open();
        }

        @TearDown(Level.Trial)
        public void close() {
            scope.close();
        }
    }

    @Benchmark
    public String pointRead(Context context) throws SQLException {
        long id = 1 + (context.next++ % 1000);
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT name FROM profiles WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
