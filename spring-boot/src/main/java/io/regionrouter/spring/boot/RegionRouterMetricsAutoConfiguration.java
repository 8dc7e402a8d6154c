package io.regionrouter.spring.boot;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.regionrouter.core.CachingRegionDirectory;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.Topology;
import io.regionrouter.jdbc.RegionalDataSources;
import io.regionrouter.spring.boot.internal.RegionRouterMeters;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Micrometer meters when Micrometer is present: the router's (see {@link RegionRouterMeters}) and
 * HikariCP's own pool meters for each region's pool ({@code hikaricp.connections.*}, tagged with the
 * pool name {@code region-router-<region>}). They are bound to the pools that exist when the registry
 * binds; a pool that a failover starts later has none.
 */
@AutoConfiguration(after = {RegionRouterAutoConfiguration.class, RegionRouterJdbcAutoConfiguration.class})
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(RegionHealth.class)
public class RegionRouterMetricsAutoConfiguration {

    /**
     * The router's meters; also an event listener, which the router and the health monitor pick up.
     *
     * @param topology the topology
     * @param health the health monitor
     * @param directory the cached directory
     * @return the meter binder
     */
    @Bean
    @ConditionalOnMissingBean
    public RegionRouterMeters regionRouterMeters(Topology topology, RegionHealth health, CachingRegionDirectory directory) {
        return new RegionRouterMeters(topology, health, directory);
    }

    /** HikariCP meters for each region's pool. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({RegionalDataSources.class, HikariDataSource.class})
    @ConditionalOnBean(RegionalDataSources.class)
    static class PoolMetricsConfiguration {

        @Bean
        MeterBinder regionPoolMeters(RegionalDataSources dataSources) {
            return registry -> {
                for (Region region : dataSources.regions()) {
                    HikariDataSource pool;
                    try {
                        pool = dataSources.pool(region);
                    } catch (IllegalStateException refused) {
                        continue; // a region whose connections a failover refuses has no pool now
                    }
                    if (pool.getMetricsTrackerFactory() == null && pool.getMetricRegistry() == null) {
                        pool.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
                    }
                }
            };
        }
    }
}
