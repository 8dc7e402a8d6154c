package io.regionrouter.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.ServerKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Every metric that the example's Prometheus rules and Grafana dashboard ({@code examples/monitoring})
 * use is one that the starter publishes, read from a real Prometheus scrape of an application on
 * real PostgreSQL and Redis servers, before any call: so no alert or panel waits for a series that
 * never comes.
 */
class MonitoringFilesIT {

    static final Path MONITORING = Path.of("..", "examples", "monitoring");
    static final Pattern METRIC = Pattern.compile("\\b((?:regionrouter|hikaricp)_[a-z_]+)");

    static LocalRegions regions;

    @BeforeAll
    static void start() {
        regions = LocalRegions.builder().region("us", ServerKind.POSTGRES, ServerKind.REDIS)
                .region("eu", ServerKind.POSTGRES, ServerKind.REDIS).interRegionDelay(Duration.ZERO).build().start();
    }

    @AfterAll
    static void stop() {
        regions.close();
    }

    @Test
    void everyMetricTheRulesAndTheDashboardUse_isPublished() throws Exception {
        Set<String> used = new TreeSet<>();
        for (String file : List.of("region-router-alerts.yml", "region-router-dashboard.json")) {
            Matcher m = METRIC.matcher(Files.readString(MONITORING.resolve(file)));
            while (m.find()) {
                used.add(m.group(1));
            }
        }
        assertThat(used).contains("regionrouter_health_state", "regionrouter_residency_denials_total", "hikaricp_connections_pending");

        List<String> props = new ArrayList<>(List.of("region-router.regions=us,eu", "region-router.local=us",
                "region-router.directory.type=static", "region-router.directory.users.alice=eu",
                "region-router.jdbc.migrations.enabled=false", "region-router.redis.allow-plaintext=true",
                "region-router.redis.global=flag:"));
        for (String r : List.of("us", "eu")) {
            var pg = regions.region(r).postgres();
            props.addAll(List.of("region-router.jdbc.regions." + r + ".url=" + pg.jdbcUrl(),
                    "region-router.jdbc.regions." + r + ".username=" + pg.appUser(),
                    "region-router.jdbc.regions." + r + ".password=" + pg.appPassword(),
                    "region-router.jdbc.regions." + r + ".allow-plaintext=true",
                    "region-router.redis.regions." + r + "=" + regions.region(r).redis().uri()));
        }
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(RegionRouterAutoConfiguration.class, RegionRouterJdbcAutoConfiguration.class,
                        RegionRouterStoresAutoConfiguration.class, RegionRouterMetricsAutoConfiguration.class))
                .withBean(MeterRegistry.class, () -> new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                .withPropertyValues(props.toArray(String[]::new)).run(context -> {
                    assertThat(context).hasNotFailed();
                    PrometheusMeterRegistry registry = (PrometheusMeterRegistry) context.getBean(MeterRegistry.class);
                    context.getBeansOfType(MeterBinder.class).values().forEach(b -> b.bindTo(registry));
                    Set<String> published = new TreeSet<>();
                    for (String line : registry.scrape().split("\n")) {
                        if (!line.startsWith("#") && !line.isBlank()) {
                            published.add(line.split("[{ ]", 2)[0]);
                        }
                    }
                    assertThat(published).containsAll(used);
                });
    }
}
