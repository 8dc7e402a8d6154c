package io.regionrouter.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.regionrouter.core.RegionContext;
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
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A real primary and streaming standby in us, from the testkit, started for each test class (the
 * tests kill the primary), and an application configured against them by properties.
 */
abstract class StarterFailoverBase {

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

    static ApplicationContextRunner runner() {
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

    /** Whether bob's write lands on the given server, read back from it as the superuser. */
    static boolean writesTo(DataSource app, PostgresServer server) {
        String marker = "m" + System.nanoTime();
        try (RegionContext.Scope scope = RegionContext.forUser("bob").open();
                Connection c = app.getConnection(); Statement s = c.createStatement()) {
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

    static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 30 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
