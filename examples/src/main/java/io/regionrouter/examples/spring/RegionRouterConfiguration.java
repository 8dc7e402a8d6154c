package io.regionrouter.examples.spring;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.regionrouter.core.CachingRegionDirectory;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.Topology;
import io.regionrouter.jdbc.JdbcRegionDirectory;
import io.regionrouter.jdbc.RegionPoolConfig;
import io.regionrouter.jdbc.RegionalDataSources;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * Wires region-router into the application. The routing data source is the primary
 * {@code DataSource} bean, so Boot's {@code JdbcTemplate} and transaction manager use it; each
 * {@code getConnection()} goes to the pool of the region that the thread's {@code RegionContext}
 * calls for.
 */
@Configuration(proxyBeanMethods = false)
public class RegionRouterConfiguration {

    @Bean
    Topology topology(RegionRouterProperties properties) {
        return Topology.builder()
                .regions(properties.databases().keySet().toArray(String[]::new))
                .local(properties.local())
                .primary(properties.primary())
                .build();
    }

    @Bean(destroyMethod = "close")
    RegionHealth regionHealth() {
        return RegionHealth.builder().build();
    }

    /**
     * The directory of home regions lives in the global schema of the primary region. It gets a
     * small pool of its own: the routing data source needs the directory to route, so it cannot
     * serve the directory's own lookups.
     */
    @Bean(destroyMethod = "close")
    HikariDataSource regionDirectoryPool(RegionRouterProperties properties) {
        RegionRouterProperties.Database primary = properties.databases().get(properties.primary());
        if (primary == null) {
            throw new IllegalArgumentException("region-router.primary must name a configured database "
                    + properties.databases().keySet() + ", but was " + properties.primary());
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("region-directory");
        config.setJdbcUrl(primary.jdbcUrl());
        config.setUsername(primary.username());
        config.setPassword(primary.password());
        config.setMaximumPoolSize(2);
        return new HikariDataSource(config);
    }

    @Bean
    JdbcRegionDirectory regionDirectoryTable(Topology topology,
            @Qualifier("regionDirectoryPool") DataSource regionDirectoryPool) {
        return JdbcRegionDirectory.builder(topology)
                .lookups(regionDirectoryPool)
                .assignments(regionDirectoryPool)
                .build();
    }

    @Bean
    CachingRegionDirectory regionDirectory(JdbcRegionDirectory regionDirectoryTable) {
        return CachingRegionDirectory.builder(regionDirectoryTable).build();
    }

    @Bean
    RegionRouter regionRouter(Topology topology, CachingRegionDirectory regionDirectory, RegionHealth regionHealth) {
        return RegionRouter.builder(topology).directory(regionDirectory).health(regionHealth).build();
    }

    @Bean(destroyMethod = "close")
    RegionalDataSources regionalDataSources(RegionRouter regionRouter, RegionRouterProperties properties) {
        RegionalDataSources.Builder builder = RegionalDataSources.builder(regionRouter);
        properties.databases().forEach((region, db) -> {
            RegionPoolConfig.Builder pool = RegionPoolConfig.builder()
                    .jdbcUrl(db.jdbcUrl())
                    .username(db.username())
                    .password(db.password());
            if (db.maximumPoolSize() != null) {
                pool.maximumPoolSize(db.maximumPoolSize());
            }
            builder.region(region, pool.build());
        });
        return builder.build();
    }

    /**
     * The application's DataSource: routes every connection by the thread's RegionContext. The lazy
     * variant routes at the first statement, so a region that is unavailable surfaces through
     * {@code JdbcTemplate} as a {@code TransientDataAccessException} that Spring can retry, rather
     * than as the non-transient {@code CannotGetJdbcConnectionException} that Spring wraps around
     * any failure of {@code getConnection()}.
     */
    @Bean
    @Primary
    DataSource dataSource(RegionalDataSources regionalDataSources) {
        return regionalDataSources.lazyRoutingDataSource();
    }
}
