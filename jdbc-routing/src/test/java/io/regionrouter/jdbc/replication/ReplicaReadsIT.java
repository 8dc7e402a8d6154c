package io.regionrouter.jdbc.replication;

import static io.regionrouter.jdbc.replication.Pg.await;
import static io.regionrouter.jdbc.replication.Pg.execute;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.regionrouter.core.HealthConfig;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionContext;
import io.regionrouter.core.RegionEvent;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.StaticRegionDirectory;
import io.regionrouter.core.Topology;
import io.regionrouter.jdbc.RegionPoolConfig;
import io.regionrouter.jdbc.RegionalDataSources;
import io.regionrouter.jdbc.internal.PoolFactory;
import io.regionrouter.jdbc.internal.RegionPool;
import io.regionrouter.jdbc.internal.RoutingConnector;
import io.regionrouter.jdbc.replication.internal.ReplicaProbe;
import io.regionrouter.jdbc.replication.internal.ReplicaReads;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.PostgresServer;
import io.regionrouter.testkit.ServerKind;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Lag-aware reads from a streaming standby of eu's database, against real PostgreSQL 17. */
class ReplicaReadsIT {

    static final Region US = Region.of("us");
    static final Region EU = Region.of("eu");
    static final Duration WAIT = Duration.ofSeconds(15);

    @RegisterExtension
    static LocalRegions regions = LocalRegions.builder().region("us", ServerKind.POSTGRES).region("eu", ServerKind.POSTGRES)
            .build();

    static final Topology TOPOLOGY = Topology.builder().regions("us", "eu").primary("us").local("eu").build();

    static PostgresServer standby;
    static RegionHealth health;
    static RegionalDataSources pg;
    static HikariDataSource replicaPool;
    static RoutingConnector connector;
    static ScheduledExecutorService scheduler;
    final List<RegionEvent> events = new CopyOnWriteArrayList<>();
    ReplicaReads reads;

    static PostgresServer server(Region r) {
        return regions.region(r.id()).postgres();
    }

    static RegionPoolConfig poolConfig(PostgresServer s) {
        return RegionPoolConfig.builder().jdbcUrl(s.jdbcUrl()).username(s.appUser()).password(s.appPassword())
                .maximumPoolSize(3).minimumIdle(1).build();
    }

    @BeforeAll
    static void setUp() throws Exception {
        execute(server(EU).superuserDataSource(), "CREATE TABLE notes (id bigint PRIMARY KEY, body text)",
                "GRANT SELECT, INSERT ON notes TO app");
        standby = server(EU).createStandby();
        health = RegionHealth.builder().config(HealthConfig.builder().build()).build();
        RegionRouter router = RegionRouter.builder(TOPOLOGY).health(health)
                .directory(StaticRegionDirectory.builder().user("alice", EU).user("bob", EU).build()).build();
        pg = RegionalDataSources.builder(router).region(US, poolConfig(server(US))).region(EU, poolConfig(server(EU)))
                .healthProbes(false).build();
        connector = new RoutingConnector(router, Map.of(US, new RegionPool(US, pg.pool(US), health),
                EU, new RegionPool(EU, pg.pool(EU), health)));
        replicaPool = new HikariDataSource(PoolFactory.hikariConfig(EU, poolConfig(standby), pg.sessionSetting(), true));
        scheduler = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterAll
    static void tearDown() {
        scheduler.shutdownNow();
        replicaPool.close();
        pg.close();
        health.close();
    }

    @AfterEach
    void resumeReplay() throws Exception {
        if (reads != null) {
            reads.close();
        }
        execute(standby.superuserDataSource(), "SELECT pg_wal_replay_resume()");
    }

    ReplicaReads reads(ReplicaReadConfig config) {
        Properties props = new Properties();
        props.setProperty("user", standby.superUser());
        props.setProperty("password", standby.superPassword());
        ReplicaProbe probe = new ReplicaProbe(EU, "eu-replica", () -> DriverManager.getConnection(standby.jdbcUrl(), props), config,
                System::nanoTime, events::add);
        reads = new ReplicaReads(connector.router(), connector,
                Map.of(EU, List.of(new ReplicaReads.Replica("eu-replica", replicaPool, probe))), config, System::nanoTime);
        reads.start(scheduler);
        return reads;
    }

    static ReplicaReadConfig fast(Duration maxLag, boolean readYourWrites) {
        return ReplicaReadConfig.builder().maxLag(maxLag).probeInterval(Duration.ofMillis(100)).staleAfter(Duration.ofSeconds(1))
                .readYourWrites(readYourWrites).build();
    }

    /** Runs a query on a connection for the user and tells whether it ran on the standby, and what it saw. */
    static String readAs(ReplicaReads reads, String user, boolean readOnly, long noteId) throws SQLException {
        try (RegionContext.Scope ignored = RegionContext.forUser(user).open();
                Connection c = reads.connection(RegionContext.current().orElseThrow())) {
            c.setReadOnly(readOnly);
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT pg_is_in_recovery(), (SELECT count(*) FROM notes WHERE id = ?)")) {
                ps.setLong(1, noteId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return (rs.getBoolean(1) ? "replica" : "primary") + ":" + rs.getLong(2);
                }
            }
        }
    }

    static void writeAs(ReplicaReads reads, String user, long noteId) throws SQLException {
        try (RegionContext.Scope ignored = RegionContext.forUser(user).open();
                Connection c = reads.connection(RegionContext.current().orElseThrow());
                PreparedStatement ps = c.prepareStatement("INSERT INTO notes VALUES (?, 'x')")) {
            ps.setLong(1, noteId);
            ps.executeUpdate();
        }
    }

    void awaitUsable(boolean usable) throws Exception {
        await("replica usable=" + usable, WAIT, () -> events.stream().filter(ReplicaStateChangedEvent.class::isInstance)
                .map(ReplicaStateChangedEvent.class::cast).reduce((a, b) -> b).map(e -> e.usable() == usable).orElse(false));
    }

    @Test
    void readOnlyConnections_goToTheReplica_othersToThePrimary() throws Exception {
        ReplicaReads reads = reads(fast(Duration.ofSeconds(5), false));
        awaitUsable(true);

        assertThat(readAs(reads, "alice", true, 1)).startsWith("replica:");
        assertThat(readAs(reads, "alice", false, 1)).startsWith("primary:");
    }

    @Test
    void pausedReplay_createsLag_andReadsFallBackToThePrimary_untilReplayResumes() throws Exception {
        ReplicaReads reads = reads(fast(Duration.ofSeconds(1), false));
        awaitUsable(true);
        execute(standby.superuserDataSource(), "SELECT pg_wal_replay_pause()");

        writeAs(reads, "alice", 10);
        awaitUsable(false);

        assertThat(events).filteredOn(ReplicaStateChangedEvent.class::isInstance).last()
                .satisfies(e -> assertThat(((ReplicaStateChangedEvent) e).reason()).contains("above the bound").contains("paused"));
        assertThat(readAs(reads, "alice", true, 10)).isEqualTo("primary:1");

        execute(standby.superuserDataSource(), "SELECT pg_wal_replay_resume()");
        awaitUsable(true);
        assertThat(readAs(reads, "alice", true, 10)).isEqualTo("replica:1");
    }

    @Test
    void readYourWrites_readsTheUsersOwnWrite_evenWhileTheReplicaLags() throws Exception {
        ReplicaReads reads = reads(fast(Duration.ofMinutes(5), true));
        awaitUsable(true);
        execute(standby.superuserDataSource(), "SELECT pg_wal_replay_pause()");

        writeAs(reads, "alice", 20);

        assertThat(readAs(reads, "alice", true, 20)).as("alice sees her write, from the primary").isEqualTo("primary:1");
        assertThat(readAs(reads, "bob", true, 20)).as("bob has no write to wait for: stale replica").isEqualTo("replica:0");

        execute(standby.superuserDataSource(), "SELECT pg_wal_replay_resume()");
        await("alice reads from the replica again", WAIT, () -> readAs(reads, "alice", true, 20).equals("replica:1"));
    }
}
