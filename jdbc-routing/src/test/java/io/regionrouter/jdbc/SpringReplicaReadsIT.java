package io.regionrouter.jdbc;

import static io.regionrouter.jdbc.Pg.await;
import static io.regionrouter.jdbc.PgFixture.execute;
import static io.regionrouter.jdbc.Pg.poolConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariPoolMXBean;
import io.regionrouter.core.HealthConfig;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionContext;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.StaticRegionDirectory;
import io.regionrouter.core.Topology;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.PostgresServer;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

/**
 * Spring's {@code @Transactional(readOnly = true)} marks the connection read-only only after it took
 * it from the DataSource; the routing data source's lazy connections still send such transactions
 * to the replica, and to the primary while the replica lags. The routing data source is the only
 * DataSource bean; Boot's auto-configuration supplies JdbcTemplate and the transaction manager.
 */
class SpringReplicaReadsIT {

    static final Region US = Region.of("us");
    static final Region EU = Region.of("eu");
    static final Duration WAIT = Duration.ofSeconds(15);

    @RegisterExtension
    static LocalRegions regions = Pg.usAndEu();

    static final Topology TOPOLOGY = Topology.builder().regions("us", "eu").primary("us").local("eu").build();

    static PostgresServer standby;
    static RegionHealth health;
    static RegionalDataSources pg;
    static ConfigurableApplicationContext spring;

    @BeforeAll
    @SuppressWarnings("deprecation") // replicaReads(...) on the builder: the deprecated path keeps working
    static void start() throws Exception {
        PostgresServer eu = regions.region("eu").postgres();
        execute(eu.superuserDataSource(), "CREATE TABLE notes (id bigint PRIMARY KEY, body text)",
                "INSERT INTO notes VALUES (0, 'before the standby')");
        standby = eu.createStandby();
        execute(eu.superuserDataSource(), "INSERT INTO notes VALUES (1, 'replayed')");
        await("the standby replays a transaction", WAIT, () -> PgFixture.count(standby.superuserDataSource(),
                "SELECT count(*) FROM notes WHERE id = 1 AND pg_last_xact_replay_timestamp() IS NOT NULL") == 1);
        health = RegionHealth.builder().config(HealthConfig.builder().build()).build();
        RegionRouter router = RegionRouter.builder(TOPOLOGY).health(health)
                .directory(StaticRegionDirectory.builder().user("alice", EU).build()).build();
        pg = RegionalDataSources.builder(router).region(US, poolConfig(regions.region("us").postgres())).region(EU, poolConfig(eu))
                .healthProbes(false).replica(EU, "eu-1", poolConfig(standby))
                .replicaReads(ReplicaReadConfig.builder().maxLag(Duration.ofSeconds(1)).probeInterval(Duration.ofMillis(100))
                        .staleAfter(Duration.ofSeconds(1)).build())
                .build();
        await("the replica is usable", WAIT, () -> pg.isReplicaUsable(EU, "eu-1"));
        spring = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE).run("--spring.main.banner-mode=off");
    }

    @AfterAll
    static void stop() {
        if (spring != null) {
            spring.close();
        }
        if (pg != null) {
            pg.close();
        }
        if (health != null) {
            health.close();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        DataSource dataSource() {
            return pg.routingDataSource();
        }

        @Bean
        NoteService noteService(JdbcTemplate jdbc) {
            return new NoteService(jdbc);
        }
    }

    /** A transactional service, proxied by Spring. */
    public static class NoteService {
        private final JdbcTemplate jdbc;

        public NoteService(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        /** Where a read-only transaction runs, and whether it sees the note. */
        @Transactional(readOnly = true)
        public String readOnly(long id) {
            return where(id);
        }

        /** Where a read-write transaction runs, and whether it sees the note. */
        @Transactional
        public String readWrite(long id) {
            return where(id);
        }

        @Transactional
        public void add(long id) {
            jdbc.update("INSERT INTO notes VALUES (?, 'spring')", id);
        }

        @Transactional(readOnly = true)
        public void nothing() {
        }

        private String where(long id) {
            Boolean standby = jdbc.queryForObject("SELECT pg_is_in_recovery()", Boolean.class);
            Long seen = jdbc.queryForObject("SELECT count(*) FROM notes WHERE id = ?", Long.class, id);
            return (standby ? "replica" : "primary") + ":" + seen;
        }
    }

    static NoteService service() {
        return spring.getBean(NoteService.class);
    }

    @Test
    void readOnlyTransaction_runsOnTheReplica_readWriteTransaction_onThePrimary() {
        try (RegionContext.Scope s = RegionContext.forUser("alice").open()) {
            assertThat(service().readOnly(1)).isEqualTo("replica:1");
            assertThat(service().readWrite(1)).isEqualTo("primary:1");
        }
    }

    @Test
    void readOnlyTransaction_withoutStatements_takesNoConnection() {
        HikariPoolMXBean primary = pg.pool(EU).getHikariPoolMXBean();
        HikariPoolMXBean replica = pg.replicaPool(EU, "eu-1").getHikariPoolMXBean();
        try (RegionContext.Scope s = RegionContext.forUser("alice").open()) {
            service().nothing();
        }
        assertThat(primary.getActiveConnections()).isZero();
        assertThat(replica.getActiveConnections()).isZero();
    }

    @Test
    void readOnlyTransaction_fallsBackToThePrimary_whileReplayIsPaused() throws Exception {
        try (RegionContext.Scope s = RegionContext.forUser("alice").open()) {
            execute(standby.superuserDataSource(), "SELECT pg_wal_replay_pause()");
            try {
                service().add(50);
                await("the replica lags beyond 1 s", WAIT, () -> !pg.isReplicaUsable(EU, "eu-1"));

                assertThat(service().readOnly(50)).isEqualTo("primary:1");
            } finally {
                execute(standby.superuserDataSource(), "SELECT pg_wal_replay_resume()");
            }
            await("the replica catches up", WAIT, () -> pg.isReplicaUsable(EU, "eu-1"));
            assertThat(service().readOnly(50)).isEqualTo("replica:1");
        }
    }
}
