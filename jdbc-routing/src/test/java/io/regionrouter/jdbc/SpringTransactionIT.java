package io.regionrouter.jdbc;

import static io.regionrouter.jdbc.PgFixture.EU;
import static io.regionrouter.jdbc.PgFixture.US;
import static io.regionrouter.jdbc.PgFixture.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionContext;
import io.regionrouter.core.RegionState;
import io.regionrouter.core.RegionUnavailableException;
import io.regionrouter.core.StaticRegionDirectory;
import io.regionrouter.core.Topology;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.ServerKind;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;

/**
 * The routing data source as the only DataSource bean of a Spring Boot application, wired as its
 * Javadoc says ({@code lazyRoutingDataSource()}): Boot's own auto-configuration supplies the
 * JdbcTemplate and the transaction manager.
 */
class SpringTransactionIT {

    @RegisterExtension
    static final LocalRegions REGIONS = LocalRegions.builder().region("us", ServerKind.POSTGRES)
            .region("eu", ServerKind.POSTGRES).build();

    private static final Topology TOPOLOGY = Topology.builder().regions("us", "eu").local("us").primary("us").build();
    private static PgFixture fixture;
    private static ConfigurableApplicationContext spring;

    @BeforeAll
    static void start() {
        fixture = new PgFixture(REGIONS, TOPOLOGY, StaticRegionDirectory.builder().user("alice", EU).user("bob", US).build(),
                b -> { });
        spring = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE).run("--spring.main.banner-mode=off");
    }

    @AfterAll
    static void stop() {
        if (spring != null) {
            spring.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    @BeforeEach
    void cleanTables() throws SQLException {
        fixture.applyOrders();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        DataSource dataSource() {
            return fixture.pg.lazyRoutingDataSource();
        }

        @Bean
        OrderService orderService(JdbcTemplate jdbc) {
            return new OrderService(jdbc);
        }
    }

    /** A transactional service, proxied by Spring. */
    public static class OrderService {
        private final JdbcTemplate jdbc;

        public OrderService(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @Transactional
        public void place(long id, String user, Region home) {
            jdbc.update("INSERT INTO orders (id, user_id, item, region) VALUES (?, ?, 'tx', ?)", id, user, home.id());
        }

        @Transactional
        public void placeTwoThenFail(long id, String user, Region home, AtomicLong seenInsideTransaction) {
            place(id, user, home);
            jdbc.update("INSERT INTO orders (id, user_id, item, region) VALUES (?, ?, 'tx', ?)", id + 1, user, home.id());
            seenInsideTransaction.set(jdbc.queryForObject("SELECT count(*) FROM orders WHERE user_id = ?", Long.class, user));
            throw new IllegalStateException("payment declined");
        }
    }

    @Test
    void beans_areWiredAroundTheRoutingDataSource() {
        assertThat(spring.getBean(DataSource.class)).isSameAs(fixture.pg.lazyRoutingDataSource());
        assertThat(spring.getBean(JdbcTemplate.class).getDataSource()).isSameAs(fixture.pg.lazyRoutingDataSource());
        assertThat(spring.getBean(PlatformTransactionManager.class)).isInstanceOfSatisfying(DataSourceTransactionManager.class,
                tm -> assertThat(tm.getDataSource()).isSameAs(fixture.pg.lazyRoutingDataSource()));
    }

    @Test
    void jdbcTemplate_followsTheRegionContext() {
        JdbcTemplate jdbc = spring.getBean(JdbcTemplate.class);
        try (RegionContext.Scope s = RegionContext.forUser("alice").open()) {
            assertThat(jdbc.queryForObject("SELECT current_setting('app.user_region')", String.class)).isEqualTo("eu");
        }
        try (RegionContext.Scope s = RegionContext.forUser("bob").open()) {
            assertThat(jdbc.queryForObject("SELECT current_setting('app.user_region')", String.class)).isEqualTo("us");
        }
    }

    @Test
    void transactional_commitLandsInTheRoutedRegionOnly() throws SQLException {
        try (RegionContext.Scope s = RegionContext.forUser("alice").open()) {
            spring.getBean(OrderService.class).place(1, "alice", EU);
        }
        assertThat(count(fixture.superuser(EU), "SELECT count(*) FROM orders WHERE user_id = 'alice'")).isEqualTo(1);
        assertThat(count(fixture.superuser(US), "SELECT count(*) FROM orders")).isZero();
    }

    @Test
    void transactional_rollbackOnExceptionReallyRollsBackInTheRoutedRegion() throws SQLException {
        AtomicLong seen = new AtomicLong(-1);
        try (RegionContext.Scope s = RegionContext.forUser("alice").open()) {
            assertThatThrownBy(() -> spring.getBean(OrderService.class).placeTwoThenFail(10, "alice", EU, seen))
                    .isInstanceOf(IllegalStateException.class).hasMessage("payment declined");
        }
        assertThat(seen).as("both rows were visible inside the transaction").hasValue(2);
        assertThat(count(fixture.superuser(EU), "SELECT count(*) FROM orders")).isZero();
        assertThat(count(fixture.superuser(US), "SELECT count(*) FROM orders")).isZero();
    }

    @Test
    void unavailableRegion_surfacesThroughJdbcTemplateAndTransactionsAsATransientDataAccessException() throws Exception {
        JdbcTemplate jdbc = spring.getBean(JdbcTemplate.class);
        OrderService orders = spring.getBean(OrderService.class);
        REGIONS.region("eu").partition();
        try {
            fixture.awaitState(EU, RegionState.DOWN, Duration.ofSeconds(15));
            try (RegionContext.Scope s = RegionContext.forUser("alice").open()) {
                assertThatThrownBy(() -> jdbc.queryForObject("SELECT 1", Integer.class))
                        .isInstanceOf(TransientDataAccessException.class)
                        .hasCauseInstanceOf(RegionUnavailableSQLException.class)
                        .hasRootCauseInstanceOf(RegionUnavailableException.class);
                assertThatThrownBy(() -> orders.place(20, "alice", EU)).isInstanceOf(TransientDataAccessException.class)
                        .hasCauseInstanceOf(RegionUnavailableSQLException.class);
                // what the eager data source gives Spring instead: the same failure, wrapped as not transient
                assertThatThrownBy(() -> new JdbcTemplate(fixture.pg.routingDataSource()).queryForObject("SELECT 1", Integer.class))
                        .isInstanceOf(CannotGetJdbcConnectionException.class)
                        .isNotInstanceOf(TransientDataAccessException.class)
                        .hasCauseInstanceOf(RegionUnavailableSQLException.class);
            }
            try (RegionContext.Scope s = RegionContext.forUser("bob").open()) {
                assertThat(jdbc.queryForObject("SELECT current_setting('app.user_region')", String.class))
                        .as("us is unaffected").isEqualTo("us");
            }
        } finally {
            REGIONS.region("eu").heal();
        }
        fixture.awaitState(EU, RegionState.UP, Duration.ofSeconds(15));
        try (RegionContext.Scope s = RegionContext.forUser("alice").open()) {
            orders.place(21, "alice", EU);
        }
        assertThat(count(fixture.superuser(EU), "SELECT count(*) FROM orders WHERE id = 21")).isEqualTo(1);
    }

    @Test
    void withoutContext_springCallsFailWithNoRegionContextException() {
        JdbcTemplate jdbc = spring.getBean(JdbcTemplate.class);
        assertThatThrownBy(() -> jdbc.queryForObject("SELECT 1", Integer.class))
                .satisfies(e -> assertThat(causes(e)).anyMatch(NoRegionContextException.class::isInstance));
    }

    private static java.util.List<Throwable> causes(Throwable t) {
        java.util.List<Throwable> out = new java.util.ArrayList<>();
        for (Throwable c = t; c != null && !out.contains(c); c = c.getCause()) {
            out.add(c);
        }
        return out;
    }
}
