package io.regionrouter.jdbc;

import static io.regionrouter.jdbc.PgFixture.EU;
import static io.regionrouter.jdbc.PgFixture.US;
import static io.regionrouter.jdbc.PgFixture.boundRegion;
import static io.regionrouter.jdbc.PgFixture.count;
import static io.regionrouter.jdbc.PgFixture.insertOrder;
import static org.assertj.core.api.Assertions.assertThat;

import io.regionrouter.core.Access;
import io.regionrouter.core.FallbackEvent;
import io.regionrouter.core.HealthConfig;
import io.regionrouter.core.RegionContext;
import io.regionrouter.core.RegionEvent;
import io.regionrouter.core.RegionEventListener;
import io.regionrouter.core.RegionState;
import io.regionrouter.core.RegionStateChangedEvent;
import io.regionrouter.core.StaticRegionDirectory;
import io.regionrouter.core.Store;
import io.regionrouter.core.Topology;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.ServerKind;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What real calls tell the health of eu's PostgreSQL: load and SQL errors are no outage, and
 * another store of the region being DOWN is none of PostgreSQL's business. The health judges real
 * calls after only 5 of them, so a handful of misjudged calls would be enough to mark eu DOWN.
 */
class HealthSignalsIT {

    @RegisterExtension
    static final LocalRegions REGIONS = LocalRegions.builder().region("us", ServerKind.POSTGRES)
            .region("eu", ServerKind.POSTGRES).build();

    /** eu is local and its data may be read from us: a failure in eu could fall back there. */
    private static final Topology TOPOLOGY = Topology.builder().regions("us", "eu").local("eu").primary("us")
            .residency("eu", "us").build();
    private static final HealthConfig HEALTH = PgFixture.FAST_HEALTH.toBuilder().minimumCalls(5).build();
    private static final StaticRegionDirectory USERS = StaticRegionDirectory.builder().user("alice", EU).build();
    private static PgFixture fixture;
    private final List<RegionEvent> healthEvents = new CopyOnWriteArrayList<>();
    private final List<RegionEvent> routingEvents = new CopyOnWriteArrayList<>();
    private final RegionEventListener healthListener = healthEvents::add;
    private final RegionEventListener routingListener = routingEvents::add;

    @BeforeAll
    static void start() {
        fixture = new PgFixture(REGIONS, TOPOLOGY, USERS, HEALTH, (f, region) -> f.poolConfig(region, 4), b -> { });
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @BeforeEach
    void listen() throws Exception {
        fixture.awaitState(EU, RegionState.UP, Duration.ofSeconds(15));
        fixture.applyOrders();
        fixture.health.addListener(healthListener);
        fixture.router.addListener(routingListener);
    }

    @AfterEach
    void unlisten() {
        fixture.health.removeListener(healthListener);
        fixture.router.removeListener(routingListener);
    }

    private List<RegionStateChangedEvent> euPostgresWentDown() {
        return wentDown(healthEvents);
    }

    private static List<RegionStateChangedEvent> wentDown(List<RegionEvent> events) {
        return events.stream().filter(RegionStateChangedEvent.class::isInstance).map(RegionStateChangedEvent.class::cast)
                .filter(e -> e.region().equals(EU) && e.store().equals(Store.POSTGRES) && e.to() == RegionState.DOWN).toList();
    }

    @Test
    void exhaustedPool_sixThreadsTimingOutOnIt_neverMarkTheRegionDown_andNoCallFallsBack() throws Exception {
        List<RegionEvent> events = new CopyOnWriteArrayList<>();
        PgFixture small = new PgFixture(REGIONS, TOPOLOGY, USERS, HEALTH,
                (f, region) -> f.poolConfig(region, region.equals(EU) ? 1 : 4), b -> { });
        small.health.addListener(events::add);
        small.router.addListener(events::add);
        DataSource routing = small.pg.routingDataSource();
        ExecutorService threads = Executors.newFixedThreadPool(6);
        try (small; RegionContext.Scope s = RegionContext.forUser("alice").withAccess(Access.READ).open();
                Connection held = routing.getConnection()) {
            assertThat(boundRegion(held)).isEqualTo("eu");
            List<Future<Object>> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                calls.add(threads.submit(RegionContext.wrap(() -> {
                    try (Connection c = routing.getConnection()) {
                        return boundRegion(c);
                    } catch (SQLException e) {
                        return e;
                    }
                })));
            }
            for (Future<Object> call : calls) {
                assertThat(call.get(30, TimeUnit.SECONDS)).as("the pool's own timeout, not a connection of another region")
                        .isInstanceOf(SQLTransientConnectionException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getMessage()).contains("Connection is not available"));
            }
            assertThat(wentDown(events)).isEmpty();
            assertThat(small.health.state(EU, Store.POSTGRES)).isEqualTo(RegionState.UP);
            assertThat(events).noneMatch(FallbackEvent.class::isInstance);
            assertThat(small.pg.pool(US).getHikariPoolMXBean().getActiveConnections()).isZero();
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void twentyConcurrentSqlErrors_leaveTheRegionUp() throws Exception {
        try (Connection c = fixture.pg.forUser("alice").getConnection()) {
            insertOrder(c, 1, "alice", "taken", EU);
        }
        String[] statements = {
            "SELEC 1",
            "INSERT INTO orders (id, user_id, item, region) VALUES (1, 'alice', 'again', 'eu')",
            "SELECT 1 / 0",
        };
        String[] states = {"42601", "23505", "22012"};
        ExecutorService threads = Executors.newFixedThreadPool(20);
        try {
            List<Future<String>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String sql = statements[i % statements.length];
                calls.add(threads.submit(() -> {
                    try (RegionContext.Scope s = RegionContext.forUser("alice").open();
                            Connection c = fixture.pg.routingDataSource().getConnection(); Statement st = c.createStatement()) {
                        st.execute(sql);
                        return "no error";
                    } catch (SQLException e) {
                        return e.getSQLState();
                    }
                }));
            }
            for (int i = 0; i < 20; i++) {
                assertThat(calls.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(states[i % states.length]);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(euPostgresWentDown()).isEmpty();
        assertThat(fixture.health.state(EU, Store.POSTGRES)).isEqualTo(RegionState.UP);
        assertThat(count(fixture.superuser(EU), "SELECT count(*) FROM orders")).isEqualTo(1);
    }

    @Test
    void anotherStoreOfTheRegionDownInTheSharedHealth_postgresCallsForItsUsersStillSucceed() throws Exception {
        io.regionrouter.core.HealthProbe deadRedis = timeout -> {
            throw new java.net.ConnectException("eu's Redis refuses connections");
        };
        fixture.health.register(EU, Store.REDIS, deadRedis);
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (fixture.health.state(EU, Store.REDIS) != RegionState.DOWN && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(fixture.health.describe(EU)).isEqualTo("eu: postgres UP, redis DOWN");
            try (RegionContext.Scope s = RegionContext.forUser("alice").open();
                    Connection c = fixture.pg.routingDataSource().getConnection()) {
                assertThat(boundRegion(c)).isEqualTo("eu");
                insertOrder(c, 7, "alice", "while redis is down", EU);
            }
            try (Connection c = fixture.pg.forUser("alice").getConnection()) {
                assertThat(boundRegion(c)).isEqualTo("eu");
            }
            assertThat(count(fixture.superuser(EU), "SELECT count(*) FROM orders WHERE id = 7")).isEqualTo(1);
            assertThat(routingEvents).noneMatch(FallbackEvent.class::isInstance);
        } finally {
            fixture.health.unregister(EU, Store.REDIS, deadRedis);
        }
    }
}
