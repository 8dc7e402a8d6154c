package io.regionrouter.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionContext;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.StaticRegionDirectory;
import io.regionrouter.core.Store;
import io.regionrouter.core.Topology;
import io.regionrouter.jdbc.internal.RegionPool;
import io.regionrouter.jdbc.internal.ReplicaProbe;
import io.regionrouter.jdbc.internal.ReplicaReads;
import io.regionrouter.jdbc.internal.RoutingConnector;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReplicaReadsTest {

    private static final Region US = Region.of("us");
    private static final Region EU = Region.of("eu");

    private final Topology topology = Topology.builder().regions("us", "eu").local("eu").primary("us").build();
    private final RegionHealth health = RegionHealth.builder().build();
    private final RegionRouter router = RegionRouter.builder(topology).health(health)
            .directory(StaticRegionDirectory.builder().user("alice", EU).build()).build();
    /** The ticker of every component here: time stands still, so no measurement goes stale mid-test. */
    private final AtomicLong ticks = new AtomicLong(1_000_000_000L);

    @AfterEach
    void closeHealth() {
        health.close();
    }

    /** A connection whose every query returns one row of the given column values. */
    private static Connection answering(AtomicInteger closed, Object... row) {
        ResultSet rs = (ResultSet) Proxy.newProxyInstance(ReplicaReadsTest.class.getClassLoader(), new Class<?>[] {ResultSet.class},
                new java.lang.reflect.InvocationHandler() {
                    private boolean read;

                    @Override
                    public Object invoke(Object proxy, java.lang.reflect.Method m, Object[] args) {
                        return switch (m.getName()) {
                            case "next" -> {
                                boolean first = !read;
                                read = true;
                                yield first;
                            }
                            case "getBoolean" -> row[(Integer) args[0] - 1];
                            case "getDouble" -> ((Number) row[(Integer) args[0] - 1]).doubleValue();
                            case "getString" -> row[(Integer) args[0] - 1];
                            case "wasNull" -> false;
                            default -> null;
                        };
                    }
                });
        Statement statement = (Statement) Proxy.newProxyInstance(ReplicaReadsTest.class.getClassLoader(),
                new Class<?>[] {Statement.class}, (proxy, m, args) -> "executeQuery".equals(m.getName()) ? rs : null);
        return (Connection) Proxy.newProxyInstance(ReplicaReadsTest.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, m, args) -> switch (m.getName()) {
                    case "createStatement" -> statement;
                    case "getAutoCommit", "isValid" -> true;
                    case "isClosed", "isReadOnly" -> false;
                    case "close" -> {
                        closed.incrementAndGet();
                        yield null;
                    }
                    case "getCatalog", "toString" -> "eu-primary";
                    default -> null;
                });
    }

    @FunctionalInterface
    private interface ConnectionSource {
        Connection get() throws SQLException;
    }

    /** A data source that only hands out the source's connections. */
    private static DataSource dataSource(ConnectionSource source) {
        return (DataSource) Proxy.newProxyInstance(ReplicaReadsTest.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, m, args) -> switch (m.getName()) {
                    case "getConnection" -> source.get();
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "test data source";
                    default -> null;
                });
    }

    @Test
    void replicaThatFailsTheReplayCheck_isClosed_andTheReadGoesToThePrimary() throws SQLException {
        AtomicInteger primaryClosed = new AtomicInteger();
        AtomicInteger primaryOpened = new AtomicInteger();
        StubDataSource us = new StubDataSource("us");
        DataSource euPrimary = dataSource(() -> {
            primaryOpened.incrementAndGet();
            return answering(primaryClosed, "0/100"); // pg_current_wal_insert_lsn() after a write
        });
        Map<Region, RegionPool> pools = new LinkedHashMap<>();
        pools.put(US, new RegionPool(US, us, health.store(US, Store.POSTGRES)));
        pools.put(EU, new RegionPool(EU, euPrimary, health.store(EU, Store.POSTGRES)));
        RoutingConnector connector = new RoutingConnector(router, Store.POSTGRES, pools, Duration.ofSeconds(2), ticks::get);

        // a usable replica that has replayed only up to 0/10, whose connections break at the replay check
        StubDataSource replicaConnections = new StubDataSource("eu-replica");
        DataSource replicaPool = dataSource(() -> {
            Connection inner = replicaConnections.getConnection();
            return (Connection) Proxy.newProxyInstance(ReplicaReadsTest.class.getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, m, args) -> {
                        if ("createStatement".equals(m.getName())) {
                            throw new SQLException("replica connection reset", "08006");
                        }
                        return m.invoke(inner, args);
                    });
        });
        ReplicaReadConfig config = ReplicaReadConfig.builder().readYourWrites(true).build();
        ReplicaProbe probe = new ReplicaProbe(EU, "r1", () -> answering(new AtomicInteger(), true, false, true, 0.0, "0/10"),
                config, ticks::get, event -> { });
        probe.probe();
        assertThat(probe.usable(ticks.get())).as("the replica is usable by its lag").isTrue();
        ReplicaReads reads = new ReplicaReads(router, connector,
                Map.of(EU, List.of(new ReplicaReads.Replica("r1", replicaPool, probe))), config, ticks::get);

        try (Connection write = reads.connection(RegionContext.forUser("alice"))) {
            write.createStatement(); // alice writes on eu's primary; her write position 0/100 is remembered
        }
        assertThat(primaryOpened).hasValue(1);

        try (Connection read = reads.connection(RegionContext.forUser("alice"))) {
            read.setReadOnly(true);
            read.createStatement();
            assertThat(read.toString()).contains("primary");
        }

        assertThat(replicaConnections.handedOut).hasValue(1);
        assertThat(replicaConnections.closed).as("the replica connection that failed the replay check went back to its pool")
                .hasValue(1);
        assertThat(primaryOpened).as("the read fell back to the primary").hasValue(2);
        assertThat(primaryClosed).hasValue(2);
        connector.close();
    }

    @Test
    void aReplicaRead_isObserved_withTheReplicaAndItsLag_orAsGoingToThePrimary() throws SQLException {
        TestObservationRegistry observations = TestObservationRegistry.create();
        RegionRouter observed = RegionRouter.builder(topology).health(health).observationRegistry(observations)
                .directory(StaticRegionDirectory.builder().user("alice", EU).build()).build();
        Map<Region, RegionPool> pools = new LinkedHashMap<>();
        pools.put(US, new RegionPool(US, new StubDataSource("us"), health.store(US, Store.POSTGRES)));
        pools.put(EU, new RegionPool(EU, dataSource(() -> answering(new AtomicInteger(), "0/100")), health.store(EU, Store.POSTGRES)));
        RoutingConnector connector = new RoutingConnector(observed, Store.POSTGRES, pools, Duration.ofSeconds(2), ticks::get);
        ReplicaReadConfig config = ReplicaReadConfig.builder().build();
        ReplicaProbe measured = new ReplicaProbe(EU, "r1", () -> answering(new AtomicInteger(), true, false, true, 0.0, "0/10"),
                config, ticks::get, event -> { });
        measured.probe();
        ReplicaProbe neverMeasured = new ReplicaProbe(EU, "r2", () -> answering(new AtomicInteger(), true, false, true, 0.0, "0/10"),
                config, ticks::get, event -> { });
        StubDataSource replicaConnections = new StubDataSource("eu-replica");

        ReplicaReads usable = new ReplicaReads(observed, connector,
                Map.of(EU, List.of(new ReplicaReads.Replica("r1", replicaConnections, measured))), config, ticks::get);
        try (Connection read = usable.connection(RegionContext.forUser("alice").withAccess(io.regionrouter.core.Access.READ))) {
            read.createStatement();
            assertThat(read.toString()).contains("replica r1");
        }
        ReplicaReads unusable = new ReplicaReads(observed, connector,
                Map.of(EU, List.of(new ReplicaReads.Replica("r2", replicaConnections, neverMeasured))), config, ticks::get);
        try (Connection read = unusable.connection(RegionContext.forUser("alice").withAccess(io.regionrouter.core.Access.READ))) {
            read.createStatement();
            assertThat(read.toString()).contains("primary");
        }

        TestObservationRegistryAssert.assertThat(observations)
                .hasNumberOfObservationsWithNameEqualTo("region.router.jdbc.replica.read", 2)
                .hasAnObservation(o -> o.hasNameEqualTo("region.router.jdbc.replica.read").hasContextualNameEqualTo("replica read eu")
                        .hasLowCardinalityKeyValue("region.router.region", "eu").hasLowCardinalityKeyValue("region.router.outcome", "replica")
                        .hasHighCardinalityKeyValue("region.router.replica", "r1")
                        .hasHighCardinalityKeyValue("region.router.replication.lag.ms", "0"))
                .hasAnObservation(o -> o.hasNameEqualTo("region.router.jdbc.replica.read")
                        .hasLowCardinalityKeyValue("region.router.outcome", "primary")
                        .hasHighCardinalityKeyValue("region.router.replica", "none"));
        connector.close();
    }
}
