package io.regionrouter.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionContext;
import io.regionrouter.jdbc.failover.FailoverManager;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.PostgresServer;
import io.regionrouter.testkit.ServerKind;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The starter's failover side on a real primary and streaming standby from the testkit: the manager
 * is configured from properties, follows a promotion made outside it, does not promote on its own
 * without a coordinator, and counts the events.
 */
class RegionRouterFailoverAutoConfigurationIT {

    static LocalRegions regions;
    static PostgresServer primary;
    static PostgresServer standby;

    @BeforeAll
    static void start() {
        regions = LocalRegions.builder().region("us", ServerKind.POSTGRES).interRegionDelay(Duration.ZERO).build().start();
        primary = regions.region("us").postgres();
        standby = primary.createStandby();
    }

    @AfterAll
    static void stop() {
        regions.close();
    }

    ApplicationContextRunner runner() {
        List<String> props = new ArrayList<>(List.of("region-router.regions=us", "region-router.local=us",
                "region-router.directory.type=static", "region-router.directory.users.bob=us",
                "region-router.jdbc.migrations.enabled=false",
                "region-router.jdbc.regions.us.url=" + primary.jdbcUrl(), "region-router.jdbc.regions.us.username=" + primary.appUser(),
                "region-router.jdbc.regions.us.password=" + primary.appPassword(), "region-router.jdbc.regions.us.allow-plaintext=true",
                "region-router.failover.instance-name=test-instance"));
        for (var server : List.of(new Object[] {"primary", primary}, new Object[] {"standby", standby})) {
            String p = "region-router.failover.groups.us." + server[0] + ".";
            PostgresServer pg = (PostgresServer) server[1];
            props.addAll(List.of(p + "url=" + pg.jdbcUrl(), p + "username=" + pg.superUser(), p + "password=" + pg.superPassword(),
                    p + "allow-plaintext=true"));
        }
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(RegionRouterAutoConfiguration.class, RegionRouterJdbcAutoConfiguration.class,
                        RegionRouterFailoverAutoConfiguration.class))
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new).withPropertyValues(props.toArray(String[]::new));
    }

    @Test
    void theManager_followsAPromotionMadeOutsideIt_andDoesNotPromoteWithoutACoordinator() {
        runner().run(context -> {
            assertThat(context).hasNotFailed();
            FailoverManager failover = context.getBean(FailoverManager.class);
            assertThat(failover.automaticPromotion()).isFalse();
            awaitTrue(() -> failover.primary(Region.of("us")).isPresent());
            assertThat(failover.primaryServer(Region.of("us"))).contains("us-primary");

            try (Connection c = standby.superuserDataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("SELECT pg_promote()");
            }
            primary.kill();
            awaitTrue(() -> failover.primaryServer(Region.of("us")).filter("us-standby"::equals).isPresent());
            var health = (org.springframework.boot.health.contributor.CompositeHealthContributor) context.getBean(
                    "failoverHealthContributor", org.springframework.boot.health.contributor.HealthContributor.class);
            var us = ((org.springframework.boot.health.contributor.HealthIndicator) health.getContributor("us")).health();
            assertThat(us.getStatus()).isEqualTo(org.springframework.boot.health.contributor.Status.UP);
            assertThat(us.getDetails()).containsEntry("primary", "us-standby").containsEntry("timeline", 2);

            DataSource app = context.getBean(DataSource.class);
            awaitTrue(() -> writesTo(app, standby));
            assertThat(context.getBean(MeterRegistry.class).find("regionrouter.failover.events").tag("region", "us")
                    .tag("type", "PrimaryFollowedEvent").counter()).isNotNull();
        });
    }

    /** Whether bob's write lands on the given server, read back from it as the superuser. */
    private static boolean writesTo(DataSource app, PostgresServer server) {
        String marker = "m" + System.nanoTime();
        try (RegionContext.Scope scope = RegionContext.forUser("bob").open();
                Connection c = app.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TEMP TABLE IF NOT EXISTS t (v text)");
            s.execute("SELECT set_config('application_name', '" + marker + "', false)");
            try (Connection admin = server.superuserDataSource().getConnection(); Statement q = admin.createStatement();
                    ResultSet rs = q.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + marker + "'")) {
                rs.next();
                return rs.getInt(1) == 1;
            }
        } catch (Exception e) {
            return false;
        }
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 30 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
