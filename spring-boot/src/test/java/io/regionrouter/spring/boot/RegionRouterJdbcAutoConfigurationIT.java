package io.regionrouter.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionContext;
import io.regionrouter.core.Topology;
import io.regionrouter.jdbc.RegionalDataSources;
import io.regionrouter.jdbc.ResidencySchema;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.PostgresServer;
import io.regionrouter.testkit.ServerKind;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceInitializationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The starter's PostgreSQL side on two real databases from the testkit. */
class RegionRouterJdbcAutoConfigurationIT {

    static LocalRegions regions;

    @BeforeAll
    static void start() {
        regions = LocalRegions.builder().region("us", ServerKind.POSTGRES).region("eu", ServerKind.POSTGRES)
                .interRegionDelay(java.time.Duration.ZERO).build().start();
    }

    @AfterAll
    static void stop() {
        regions.close();
    }

    static PostgresServer pg(String region) {
        return regions.region(region).postgres();
    }

    ApplicationContextRunner runner() {
        List<String> props = new ArrayList<>(List.of("region-router.regions=us,eu", "region-router.local=us",
                "region-router.residency.eu=eu", "region-router.residency.us=us",
                "region-router.jdbc.migrations.locations=classpath:db/region-migration"));
        for (String r : List.of("us", "eu")) {
            String p = "region-router.jdbc.regions." + r + ".";
            props.addAll(List.of(p + "url=" + pg(r).jdbcUrl(), p + "username=" + pg(r).appUser(), p + "password=" + pg(r).appPassword(),
                    p + "owner-username=" + pg(r).superUser(), p + "owner-password=" + pg(r).superPassword(),
                    p + "allow-plaintext=true", p + "maximum-pool-size=2"));
        }
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(RegionRouterAutoConfiguration.class, RegionRouterJdbcAutoConfiguration.class,
                        DataSourceAutoConfiguration.class, DataSourceInitializationAutoConfiguration.class,
                        RegionRouterHealthAutoConfiguration.class,
                        RegionRouterMetricsAutoConfiguration.class))
                .withUserConfiguration(Schemas.class).withPropertyValues(props.toArray(String[]::new));
    }

    @Test
    void migrationsRanInEveryRegion_asTheOwner_withTheRegionPlaceholder_thenTheResidencyDdl() {
        runner().run(context -> {
            assertThat(context).hasNotFailed();
            for (String r : List.of("us", "eu")) {
                assertThat(single(pg(r).superuserDataSource(), "SELECT region FROM migrated_region")).isEqualTo(r);
                assertThat(single(pg(r).superuserDataSource(), "SELECT tableowner FROM pg_tables WHERE tablename = 'profiles'"))
                        .isEqualTo(pg(r).superUser());
                assertThat(single(pg(r).superuserDataSource(),
                        "SELECT count(*) FROM pg_class WHERE relname = 'profiles' AND relrowsecurity AND relforcerowsecurity"))
                        .isEqualTo("1");
            }
        });
    }

    @Test
    void theRoutingDataSource_isTheApplicationsDataSource_andLandsEachUserInTheHomeRegion() {
        runner().run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(RegionalDataSources.class).hasSingleBean(DataSource.class);
            DataSource dataSource = context.getBean(DataSource.class);
            for (String user : List.of("alice", "bob")) {
                try (RegionContext.Scope scope = RegionContext.forUser(user).open();
                        Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO profiles (user_id, region, name) VALUES ('" + user + "', current_setting('app.user_region'),"
                            + " '" + user + "') ON CONFLICT DO NOTHING");
                }
            }
            assertThat(single(pg("eu").superuserDataSource(), "SELECT string_agg(user_id, ',') FROM profiles WHERE user_id IN ('alice', 'bob')")).isEqualTo("alice");
            assertThat(single(pg("us").superuserDataSource(), "SELECT string_agg(user_id, ',') FROM profiles WHERE user_id IN ('alice', 'bob')")).isEqualTo("bob");
        });
    }

    @Test
    void theDirectoryTable_isCreatedInEveryRegion_andAnAssignmentReachesTheCacheByNotification() {
        runner().run(context -> {
            for (String r : List.of("us", "eu")) {
                assertThat(single(pg(r).superuserDataSource(),
                        "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'region_directory'::regclass AND NOT tgisinternal"))
                        .isEqualTo("1");
            }
            io.regionrouter.jdbc.DirectoryInvalidations feed = context.getBean(io.regionrouter.jdbc.DirectoryInvalidations.class);
            io.regionrouter.core.CachingRegionDirectory cache = context.getBean(io.regionrouter.core.CachingRegionDirectory.class);
            awaitTrue(feed::isListening);
            String user = "carol-" + System.nanoTime();
            assertThat(cache.lookup(user)).isEmpty(); // now cached as unknown
            context.getBean(io.regionrouter.jdbc.JdbcRegionDirectory.class).assign(user, Region.of("eu"));
            awaitTrue(() -> cache.cachedHome(user).filter(Region.of("eu")::equals).isPresent());
            assertThat(feed.notifications()).isPositive();
        });
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void theApplicationsOwnBeans_winOverTheStarters() {
        DataSource own = pg("us").appDataSource();
        runner().withBean("dataSource", DataSource.class, () -> own)
                .withBean("ownDirectory", io.regionrouter.core.RegionDirectory.class,
                        () -> io.regionrouter.core.StaticRegionDirectory.builder().user("zoe", "eu").build())
                .withPropertyValues("region-router.directory.type=custom", "region-router.jdbc.migrations.enabled=false")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(DataSource.class)).isSameAs(own);
                    assertThat(context).doesNotHaveBean(io.regionrouter.jdbc.JdbcRegionDirectory.class)
                            .doesNotHaveBean(io.regionrouter.jdbc.DirectoryInvalidations.class);
                    assertThat(context.getBean(io.regionrouter.core.RegionRouter.class).homeRegion("zoe")).isEqualTo(Region.of("eu"));
                });
    }

    @Test
    void health_showsEachRegionAndStore_andEachPool() {
        runner().run(context -> {
            CompositeHealthContributor router = (CompositeHealthContributor) context.getBean("regionRouterHealthContributor",
                    HealthContributor.class);
            CompositeHealthContributor us = (CompositeHealthContributor) router.getContributor("us");
            assertThat(((HealthIndicator) us.getContributor("postgres")).health().getStatus()).isEqualTo(Status.UP);
            assertThat(router.stream().map(CompositeHealthContributor.Entry::name)).containsExactlyInAnyOrder("us", "eu");
            CompositeHealthContributor db = (CompositeHealthContributor) context.getBean("dbHealthContributor", HealthContributor.class);
            assertThat(((HealthIndicator) db.getContributor("eu")).health().getStatus()).isEqualTo(Status.UP);
        });
    }

    @Test
    void meters_coverHealthAndEachRegionsPool() {
        runner().withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            context.getBeansOfType(io.micrometer.core.instrument.binder.MeterBinder.class).values().forEach(b -> b.bindTo(meters));
            assertThat(meters.get("regionrouter.health.state").tags("region", "eu", "store", "postgres").gauge().value()).isEqualTo(1.0);
            try (RegionContext.Scope scope = RegionContext.forUser("alice").open();
                    Connection c = context.getBean(DataSource.class).getConnection(); Statement s = c.createStatement()) {
                s.execute("SELECT 1");
            }
            assertThat(meters.get("hikaricp.connections").tag("pool", "region-router-eu").gauge()).isNotNull();
        });
    }

    @Test
    void springDataJpa_startsWithoutARequest_andSavesEachEntityInTheHomeRegion() {
        runner().withConfiguration(AutoConfigurations.of(
                        org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration.class,
                        org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration.class,
                        org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration.class))
                .withUserConfiguration(JpaApplication.class)
                // SpringApplication applies it from spring.factories; the runner does not
                .withInitializer(c -> new RegionRouterDefaults().postProcessEnvironment(c.getEnvironment(), null))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    io.regionrouter.spring.boot.jpa.ProfileRepository profiles =
                            context.getBean(io.regionrouter.spring.boot.jpa.ProfileRepository.class);
                    try (RegionContext.Scope scope = RegionContext.forUser("alice").open()) {
                        profiles.save(new io.regionrouter.spring.boot.jpa.ProfileEntity("alice-jpa", "eu", "Alice"));
                        assertThat(profiles.findById("alice-jpa")).get().extracting(p -> p.getName()).isEqualTo("Alice");
                    }
                    assertThat(single(pg("eu").superuserDataSource(), "SELECT count(*) FROM profiles WHERE user_id = 'alice-jpa'"))
                            .isEqualTo("1");
                    assertThat(single(pg("us").superuserDataSource(), "SELECT count(*) FROM profiles WHERE user_id = 'alice-jpa'"))
                            .isEqualTo("0");
                });
    }

    @Configuration(proxyBeanMethods = false)
    @org.springframework.boot.persistence.autoconfigure.EntityScan(basePackageClasses = io.regionrouter.spring.boot.jpa.ProfileEntity.class)
    @org.springframework.data.jpa.repository.config.EnableJpaRepositories(
            basePackageClasses = io.regionrouter.spring.boot.jpa.ProfileRepository.class)
    static class JpaApplication {
    }

    private static String single(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Schemas {
        @Bean
        ResidencySchema profiles(Topology topology) {
            return ResidencySchema.builder(topology).table("profiles").column("user_id", "text NOT NULL").column("name", "text")
                    .primaryKey("user_id").appRole(pg("us").appUser()).build();
        }
    }
}
