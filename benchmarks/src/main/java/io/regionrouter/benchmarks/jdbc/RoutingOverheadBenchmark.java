package io.regionrouter.benchmarks.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionContext;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.Topology;
import io.regionrouter.jdbc.RegionPoolConfig;
import io.regionrouter.jdbc.RegionalDataSources;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.PostgresServer;
import io.regionrouter.testkit.ServerKind;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
 * What routing costs on top of HikariCP: {@code getConnection()} plus {@code close()}, and the same
 * with a {@code SELECT 1}, through {@code RegionalDataSources.routingDataSource()} (with a bound
 * {@code RegionContext}, a cached directory and health probing on) against a bare
 * {@code HikariDataSource} of the same size on the same embedded PostgreSQL. The {@code target}
 * parameter switches between the two, so both run in the same JVM and the ratio is what counts.
 *
 * <p>The routed path pays for the scope's cached route, the store's health check and the wrapper
 * that reports lost answers. A connection reports a success to the store's health only once the
 * database answered on it, so {@code getConnectionAndClose} does not pay for that report and
 * {@code selectOne} does.
 *
 * <p>The {@code observation} parameter gives the router no registry, a no-op one or one with a
 * handler, so the checkout ratio can be compared with observation off and on.
 *
 * <p>Run briefly and write JSON next to the other results:
 * <pre>{@code
 * ./mvnw -B -q -pl benchmarks -am package -DskipTests
 * flock /tmp/benchmarks.lock java -jar benchmarks/target/benchmarks.jar RoutingOverheadBenchmark \
 *     -f 1 -wi 2 -w 2s -i 3 -r 2s -rf json -rff benchmarks/results/jdbc-routing-overhead.json
 * }</pre>
 * Throughput mode, operations per millisecond, one thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@Threads(1)
public class RoutingOverheadBenchmark {

    private static final Region EU = Region.of("eu");

    /** {@code bare}: HikariDataSource alone; {@code routing}: the routing data source in front of the same kind of pool. */
    @Param({"bare", "routing"})
    public String target;

    /**
     * The router's observation registry (see {@code JdbcBench.registry}): {@code off} (none given),
     * {@code noop} (one without handlers) or {@code on} (one handler that does nothing). The bare
     * pool ignores it; it runs once per setting so each routed run has a bare run next to it.
     */
    @Param({"off", "noop", "on"})
    public String observation;

    private LocalRegions regions;
    private RegionHealth health;
    private RegionalDataSources pg;
    private HikariDataSource bare;
    private DataSource dataSource;

    @Setup(Level.Trial)
    public void setUp() {
        regions = LocalRegions.builder().region("eu", ServerKind.POSTGRES).build();
        regions.start();
        PostgresServer server = regions.region("eu").postgres();
        Topology topology = Topology.builder().regions("eu").local("eu").primary("eu").build();
        health = RegionHealth.builder().build();
        RegionRouter router = JdbcBench.aliceInEu(topology, health, JdbcBench.registry(observation));
        RegionPoolConfig config = RegionPoolConfig.builder().allowPlaintext(true).jdbcUrl(server.jdbcUrl()).username(server.appUser())
                .password(server.appPassword()).maximumPoolSize(4).build();
        pg = RegionalDataSources.builder(router).region(EU, config).build();
        bare = JdbcBench.barePool(server, "bare");
        dataSource = "bare".equals(target) ? bare : pg.routingDataSource();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        bare.close();
        pg.close();
        health.close();
        regions.close();
    }

    /** Binds alice's context to the benchmark thread. */
    @State(Scope.Thread)
    public static class Context {
        private RegionContext.Scope scope;

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
    public boolean getConnectionAndClose(Context context) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return c.getAutoCommit();
        }
    }

    @Benchmark
    public int selectOne(Context context) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT 1")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
