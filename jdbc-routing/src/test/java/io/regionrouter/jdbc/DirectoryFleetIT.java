package io.regionrouter.jdbc;

import static io.regionrouter.jdbc.Pg.await;
import static io.regionrouter.jdbc.PgFixture.count;
import static io.regionrouter.jdbc.PgFixture.execute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.CachingRegionDirectory;
import io.regionrouter.core.DirectoryEntry;
import io.regionrouter.core.Region;
import io.regionrouter.core.Topology;
import io.regionrouter.jdbc.replication.LogicalReplication;
import io.regionrouter.jdbc.replication.ReplicationPlan;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.PostgresServer;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The directory as GLOBAL data on two real PostgreSQL 17 servers: us is the primary and publishes
 * the directory table, eu subscribes. Two application instances, one per region, each with its own
 * caching directory and its own listener on its region's copy.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DirectoryFleetIT {

    static final Region US = Region.of("us");
    static final Region EU = Region.of("eu");
    static final Duration WAIT = Duration.ofSeconds(20);
    /** Generous cap for "within 1 s" on a shared machine; the figure measured is printed. */
    static final Duration FOLLOW_CAP = Duration.ofSeconds(5);

    @RegisterExtension
    static LocalRegions regions = Pg.usAndEu();

    static LogicalReplication replication;
    static Instance usApp;
    static Instance euApp;

    /** One application instance: its own directory, cache and listener. */
    record Instance(JdbcRegionDirectory table, CachingRegionDirectory cache, DirectoryInvalidations feed) implements AutoCloseable {
        static Instance in(Region local) {
            Topology topology = Topology.builder().regions("us", "eu").local(local.id()).primary("us").build();
            JdbcRegionDirectory table = JdbcRegionDirectory.builder(topology).dataSources(Map.of(US, app(US), EU, app(EU)))
                    .queryTimeout(Duration.ofSeconds(1)).build();
            // a negative TTL and refresh far beyond the test: only the notifications can make it follow
            CachingRegionDirectory cache = CachingRegionDirectory.builder(table).negativeTtl(Duration.ofMinutes(5))
                    .refreshAfterWrite(Duration.ofMinutes(9)).build();
            DirectoryInvalidations feed = DirectoryInvalidations.builder(table, cache).listenTo(app(local))
                    .reconnectDelay(Duration.ofMillis(100)).keepAliveInterval(Duration.ofMillis(300))
                    .networkTimeout(Duration.ofSeconds(1)).build().start();
            return new Instance(table, cache, feed);
        }

        @Override
        public void close() {
            feed.close();
        }
    }

    static PostgresServer server(Region r) {
        return regions.region(r.id()).postgres();
    }

    static DataSource app(Region r) {
        return server(r).appDataSource();
    }

    static DataSource admin(Region r) {
        return server(r).superuserDataSource();
    }

    @BeforeAll
    static void setUp() throws Exception {
        Topology topology = Topology.builder().regions("us", "eu").local("us").primary("us").build();
        JdbcRegionDirectory ddl = JdbcRegionDirectory.builder(topology).dataSources(Map.of(US, admin(US), EU, admin(EU))).build();
        ddl.createTable(admin(US));
        ddl.createTable(admin(EU));
        ddl.assign("alice", EU);
        ddl.assign("bob", EU);
        replication = Pg.replication(regions, topology)
                .plan(ReplicationPlan.builder().namePrefix("dir").global(ddl.table()).build()).build();
        replication.apply();
        replication.awaitInitialSync(WAIT);
        usApp = Instance.in(US);
        euApp = Instance.in(EU);
        await("both listeners listen", WAIT, () -> usApp.feed().isListening() && euApp.feed().isListening());
    }

    @AfterAll
    static void tearDown() {
        if (usApp != null) {
            usApp.close();
        }
        if (euApp != null) {
            euApp.close();
        }
        if (replication != null) {
            replication.teardown();
        }
    }

    @AfterEach
    void heal() {
        regions.resetFaults();
    }

    static long millisUntil(Instance instance, String user, Region expected) throws Exception {
        long start = System.nanoTime();
        await(user + " routed to " + expected, FOLLOW_CAP, () -> instance.cache().lookup(user).equals(Optional.of(expected)));
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    @Order(1)
    void newUser_assignedOnOneInstance_isRoutedByTheOther_despiteItsNegativeEntry() throws Exception {
        assertThat(usApp.cache().lookup("newbie")).isEmpty();
        assertThat(euApp.cache().lookup("newbie")).isEmpty();

        long epoch = usApp.table().assign("newbie", EU);

        long euMillis = millisUntil(euApp, "newbie", EU);
        long usMillis = millisUntil(usApp, "newbie", EU);
        System.out.printf("new-user visibility: us instance %d ms, eu instance %d ms (replicated copy)%n", usMillis, euMillis);
        assertThat(epoch).isEqualTo(1);
        assertThat(euApp.cache().cachedEntry("newbie")).contains(new DirectoryEntry(EU, 1));
    }

    @Test
    @Order(2)
    void assignment_reachesBothInstances_withTheNewEpoch() throws Exception {
        assertThat(usApp.cache().lookup("alice")).contains(EU);
        assertThat(euApp.cache().lookup("alice")).contains(EU);
        long before = euApp.feed().notifications();

        long epoch = usApp.table().assign("alice", US);

        long euMillis = millisUntil(euApp, "alice", US);
        long usMillis = millisUntil(usApp, "alice", US);
        System.out.printf("assignment follow: us instance %d ms, eu instance %d ms%n", usMillis, euMillis);
        assertThat(epoch).isEqualTo(2);
        assertThat(euApp.cache().cachedEntry("alice")).contains(new DirectoryEntry(US, 2));
        assertThat(euApp.feed().notifications()).isGreaterThan(before);
    }

    @Test
    @Order(2)
    void notificationsItCannotReadOrTrust_changeNothing_andTheFeedGoesOn() throws Exception {
        assertThat(euApp.cache().lookup("erin")).isEmpty();
        execute(admin(EU), "SELECT pg_notify('region_directory', 'garbage')",
                "SELECT pg_notify('region_directory', '9:mars:erin')", "SELECT pg_notify('region_directory', 'x:eu:erin')");
        // a forged notification, as any role can send one: the row is read, not the payload
        execute(app(EU), "SELECT pg_notify('region_directory', '99:eu:erin')");

        usApp.table().assign("erin", US);

        millisUntil(euApp, "erin", US);
        assertThat(euApp.cache().cachedEntry("erin")).contains(new DirectoryEntry(US, 1));
        assertThat(euApp.feed().isListening()).isTrue();
    }

    @Test
    @Order(3)
    void listenerThatLostItsConnection_flushesOnReconnect_andServesTheChangeItMissed() throws Exception {
        assertThat(euApp.cache().lookup("bob")).contains(EU);
        long flushes = euApp.feed().flushes();
        // end eu's listening session and keep new sessions of the app role out while bob moves
        execute(admin(EU), "ALTER ROLE " + server(EU).appUser() + " NOLOGIN");
        try {
            execute(admin(EU), "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%'"
                    + " OR (usename = '" + server(EU).appUser() + "' AND pid <> pg_backend_pid())");
            await("eu listener notices", WAIT, () -> !euApp.feed().isListening());
            usApp.table().assign("bob", US);
            await("bob's move replicated to eu", WAIT,
                    () -> count(admin(EU), "SELECT count(*) FROM region_directory WHERE user_id = 'bob' AND region = 'us'") == 1);
            assertThat(euApp.cache().cachedHome("bob")).as("no notification while disconnected").contains(EU);
        } finally {
            execute(admin(EU), "ALTER ROLE " + server(EU).appUser() + " LOGIN");
        }
        await("eu listener back", WAIT, euApp.feed()::isListening);

        assertThat(euApp.feed().flushes()).isGreaterThan(flushes);
        assertThat(euApp.cache().lookup("bob")).contains(US);
    }

    @Test
    @Order(4)
    void primaryRegionDown_lookupsOfCachedAndUncachedUsersWork_andAssignmentsFailClosed() throws Exception {
        usApp.table().assign("carol", EU);
        await("carol replicated to eu", WAIT,
                () -> count(admin(EU), "SELECT count(*) FROM region_directory WHERE user_id = 'carol'") == 1);
        assertThat(euApp.cache().lookup("alice")).contains(US); // cached
        euApp.cache().invalidate("carol");

        server(US).refuse();

        assertThat(euApp.cache().lookup("alice")).as("cached user").contains(US);
        assertThat(euApp.cache().lookup("carol")).as("uncached user, from eu's copy").contains(EU);
        usApp.cache().invalidateAll();
        assertThat(usApp.cache().lookup("carol")).as("uncached user on the us instance, from eu's copy").contains(EU);
        assertThat(euApp.feed().isListening()).as("eu's listener is on eu's copy, not on the primary").isTrue();
        assertThatThrownBy(() -> euApp.table().assign("dave", EU)).isInstanceOf(SQLTransientConnectionException.class)
                .hasMessageContaining("primary region us could not be reached to assign user dave; assignments fail closed");
    }
}
