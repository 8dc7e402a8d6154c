package io.regionrouter.spring.boot;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.jdbc.RegionalDataSources;
import io.regionrouter.spring.boot.internal.RegionHealthContributor;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jdbc.health.DataSourceHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Actuator health: {@code regionRouter} with each region and store as region-router sees them, and
 * {@code db} with each region's pool checked directly. Boot's own {@code db} indicator would ask the
 * routing {@code DataSource} for a connection with no region context and always fail, so this one
 * takes its name and it backs off.
 */
@AutoConfiguration(after = {RegionRouterAutoConfiguration.class, RegionRouterJdbcAutoConfiguration.class},
        beforeName = "org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration")
@ConditionalOnClass(HealthContributor.class)
@ConditionalOnBean(RegionHealth.class)
public class RegionRouterHealthAutoConfiguration {

    /**
     * Health per region and store.
     *
     * @param health the health monitor
     * @return the contributor, named {@code regionRouter}
     */
    @Bean
    @ConditionalOnMissingBean(name = "regionRouterHealthContributor")
    public HealthContributor regionRouterHealthContributor(RegionHealth health) {
        return new RegionHealthContributor(health);
    }

    /** Each region's PostgreSQL pool, under {@code db}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({RegionalDataSources.class, DataSourceHealthIndicator.class})
    @ConditionalOnBean(RegionalDataSources.class)
    static class DatabaseHealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = {"dbHealthIndicator", "dbHealthContributor"})
        HealthContributor dbHealthContributor(RegionalDataSources dataSources) {
            Map<String, HealthContributor> byRegion = new LinkedHashMap<>();
            for (Region region : dataSources.regions()) {
                // the region's pool is looked up at each check: failover may have switched it, or refuse it
                byRegion.put(region.id(), (HealthIndicator) () -> {
                    try {
                        return new DataSourceHealthIndicator(dataSources.pool(region), "SELECT 1").health();
                    } catch (IllegalStateException refused) {
                        return Health.down().withDetail("reason", refused.getMessage()).build();
                    }
                });
            }
            return CompositeHealthContributor.fromMap(byRegion);
        }
    }
}
