package io.regionrouter.jdbc;

import static io.regionrouter.jdbc.Pg.await;
import static io.regionrouter.jdbc.PgFixture.execute;
import static io.regionrouter.jdbc.Pg.poolConfig;
import static org.assertj.core.api.Assertions.assertThat;

import io.regionrouter.core.Access;
import io.regionrouter.core.HealthConfig;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionContext;
import io.regionrouter.core.RegionEvent;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.StaticRegionDirectory;
import io.regionrouter.core.Topology;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.PostgresServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Lag-aware reads through {@link RegionalDataSources} with a streaming standby of eu's database,
 * against real PostgreSQL 17. Two sets of data sources share the servers: one with a 1 s lag bound,
 * one with read-your-writes and a bound so loose that only read-your-writes can send reads to the
 * primary.
 */
class ReplicaReadsIT {

    static final Region US = Region.of("us");
    static final Region EU = Region.of("eu");
    static final Duration WAIT = Duration.ofSeconds(15);

    @RegisterExtension
    static LocalRegions regions = Pg.usAndEu();

    static final Topology TOPOLOGY = Topology.builder().regions("us", "eu").primary("us").local("eu").build();

    static PostgresServer standby;
    static RegionHealth health;
    static RegionalDataSources bounded;
    static RegionalDataSources readYourWrites;
    static final List<RegionEvent> EVENTS = new CopyOnWriteArrayList<>();
    static final List<ReplicaStateChangedEvent> REPLICA_EVENTS = new CopyOnWriteArrayList<>();

    static PostgresServer server(Region r) {
        return regions.region(r.id()).postgres();
    }

    static RegionalDataSources dataSources(RegionRouter router, ReplicaReadConfig config) {
        RegionalDataSources pg = RegionalDataSources.builder(router).region(US, poolConfig(server(US))).region(EU, poolConfig(server(EU)))
                .healthProbes(false).replica(EU, "eu-replica", poolConfig(standby)).config(RegionalJdbcConfig.builder().replicaReads(config).build()).listener(EVENTS::add)
                .build();
        pg.eventPublisher().onReplicaStateChanged(REPLICA_EVENTS::add);
        return pg;
    }

    @BeforeAll
    static void setUp() throws Exception {
        execute(server(EU).superuserDataSource(), "CREATE TABLE notes (id bigint PRIMARY KEY, body text)");
        standby = server(EU).createStandby();
        // a standby knows its replay timestamp only after it has replayed a transaction
        execute(server(EU).superuserDataSource(), "INSERT INTO notes VALUES (0, 'replayed')");
        await("the standby replays a transaction", WAIT, () -> PgFixture.count(standby.superuserDataSource(),
                "SELECT count(*) FROM notes WHERE id = 0 AND pg_last_xact_replay_timestamp() IS NOT NULL") == 1);
        health = RegionHealth.builder().config(HealthConfig.builder().build()).build();
        RegionRouter router = RegionRouter.builder(TOPOLOGY).health(health)
                .directory(StaticRegionDirectory.builder().user("alice", EU).user("bob", EU).build()).build();
        ReplicaReadConfig fast = ReplicaReadConfig.builder().probeInterval(Duration.ofMillis(100)).staleAfter(Duration.ofSeconds(1))
                .build();
        bounded = dataSources(router, fast.toBuilder().maxLag(Duration.ofSeconds(1)).build());
        readYourWrites = dataSources(router, fast.toBuilder().maxLag(Duration.ofMinutes(5)).readYourWrites(true).build());
        await("the replica is usable", WAIT, () -> bounded.isReplicaUsable(EU, "eu-replica")
                && readYourWrites.isReplicaUsable(EU, "eu-replica"));
    }

    @AfterAll
    static void tearDown() {
        readYourWrites.close();
        bounded.close();
        health.close();
    }

    @AfterEach
    void resumeReplay() throws Exception {
        execute(standby.superuserDataSource(), "SELECT pg_wal_replay_resume()");
        await("the replica is usable again", WAIT, () -> bounded.isReplicaUsable(EU, "eu-replica"));
    }

    /** Where a query ran ("replica" or "primary") and how many notes with the id it saw. */
    static String read(DataSource ds, RegionContext context, boolean readOnly, long noteId) throws SQLException {
        try (RegionContext.Scope ignored = context.open(); Connection c = ds.getConnection()) {
            c.setReadOnly(readOnly);
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_is_in_recovery(), (SELECT count(*) FROM notes WHERE id = ?)")) {
                ps.setLong(1, noteId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return (rs.getBoolean(1) ? "replica" : "primary") + ":" + rs.getLong(2);
                }
            }
        }
    }

    static void write(DataSource ds, String user, long noteId) throws SQLException {
        try (RegionContext.Scope ignored = RegionContext.forUser(user).open(); Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO notes VALUES (?, 'x')")) {
            ps.setLong(1, noteId);
            ps.executeUpdate();
        }
    }

    static void pauseReplay() throws SQLException {
        execute(standby.superuserDataSource(), "SELECT pg_wal_replay_pause()");
    }

    @Test
    void readOnlyConnections_andReadContexts_goToTheReplica_othersToThePrimary() throws Exception {
        DataSource ds = bounded.routingDataSource();

        assertThat(read(ds, RegionContext.forUser("alice"), true, 1)).startsWith("replica:");
        assertThat(read(ds, RegionContext.forUser("alice").withAccess(Access.READ), false, 1)).startsWith("replica:");
        assertThat(read(ds, RegionContext.forUser("alice"), false, 1)).startsWith("primary:");
        assertThat(read(bounded.forUser("alice"), RegionContext.forUser("bob"), true, 1)).startsWith("replica:");
        assertThat(read(ds, RegionContext.forUser("alice").withAccess(Access.READ), true, 1))
                .as("the replica pool binds the region like the primary's").startsWith("replica:");
        assertThat(bounded.replicaPool(EU, "eu-replica").getPoolName()).isEqualTo("region-router-eu-replica-eu-replica");
    }

    @Test
    void pausedReplay_createsLag_andReadsFallBackToThePrimary_untilReplayResumes() throws Exception {
        DataSource ds = bounded.routingDataSource();
        pauseReplay();

        write(ds, "alice", 10);
        await("the lag exceeds the 1 s bound", WAIT, () -> !bounded.isReplicaUsable(EU, "eu-replica"));

        assertThat(REPLICA_EVENTS).anySatisfy(e -> {
                    assertThat(e.usable()).isFalse();
                    assertThat(e.replica()).isEqualTo("eu-replica");
                    assertThat(e.reason()).contains("above the bound PT1S (replay paused)");
                });
        assertThat(read(ds, RegionContext.forUser("alice"), true, 10)).isEqualTo("primary:1");

        execute(standby.superuserDataSource(), "SELECT pg_wal_replay_resume()");
        await("the replica catches up", WAIT, () -> bounded.isReplicaUsable(EU, "eu-replica"));
        assertThat(read(ds, RegionContext.forUser("alice"), true, 10)).isEqualTo("replica:1");
    }

    @Test
    void readYourWrites_aUserReadsTheirOwnWrite_whileOthersStillReadTheLaggingReplica() throws Exception {
        DataSource ds = readYourWrites.routingDataSource();
        pauseReplay();

        write(ds, "alice", 20);

        assertThat(readYourWrites.isReplicaUsable(EU, "eu-replica")).as("within the 5 min bound").isTrue();
        assertThat(read(ds, RegionContext.forUser("alice"), true, 20)).as("alice sees her write").isEqualTo("primary:1");
        assertThat(read(ds, RegionContext.forUser("bob"), true, 20)).as("bob reads the stale replica").isEqualTo("replica:0");

        execute(standby.superuserDataSource(), "SELECT pg_wal_replay_resume()");
        await("alice reads from the replica once it replayed her write", WAIT,
                () -> read(ds, RegionContext.forUser("alice"), true, 20).equals("replica:1"));
    }
}
