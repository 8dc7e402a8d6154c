package io.regionrouter.spring.boot;

import io.regionrouter.core.CachingRegionDirectory;
import io.regionrouter.core.RegionDirectory;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.Topology;
import io.regionrouter.jdbc.DirectoryInvalidations;
import io.regionrouter.jdbc.JdbcRegionDirectory;
import io.regionrouter.jdbc.RegionPoolConfig;
import io.regionrouter.jdbc.RegionalDataSources;
import io.regionrouter.jdbc.RegionalJdbcConfig;
import io.regionrouter.jdbc.ResidencySchema;
import io.regionrouter.spring.boot.internal.DirectoryPools;
import io.regionrouter.spring.boot.internal.JdbcRegionsConfigured;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * Configures PostgreSQL routing when region-router-jdbc is present and
 * {@code region-router.jdbc.regions.*} names the databases: the {@link RegionalDataSources}, the
 * application's {@code DataSource} (the lazy routing one, {@code @Primary}), the directory table
 * unless another directory is chosen, and the schema migrations of every region.
 *
 * <p>It runs before Boot's own {@code DataSource} auto-configuration, which then backs off.
 */
@AutoConfiguration(after = RegionRouterAutoConfiguration.class,
        beforeName = {"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
                "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
                "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration"})
@ConditionalOnClass(RegionalDataSources.class)
@ConditionalOnBean(RegionRouter.class)
@ConditionalOnProperty(prefix = "region-router.jdbc", name = "enabled", matchIfMissing = true)
@Conditional(JdbcRegionsConfigured.class)
@EnableConfigurationProperties(RegionRouterJdbcProperties.class)
public class RegionRouterJdbcAutoConfiguration {

    /**
     * One pool per region, each bound to its region, with health probes registered.
     *
     * @param router the router
     * @param properties the databases
     * @return the data sources, closed with the context
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public RegionalDataSources regionalDataSources(RegionRouter router, RegionRouterJdbcProperties properties) {
        RegionalDataSources.Builder builder = RegionalDataSources.builder(router).config(jdbcConfig(properties));
        properties.getRegions().forEach((region, db) -> builder.region(region, poolConfig(region, db)));
        return builder.build();
    }

    /** The module's settings; unset values keep the library's defaults (the budget then follows the pools). */
    static RegionalJdbcConfig jdbcConfig(RegionRouterJdbcProperties properties) {
        RegionalJdbcConfig.Builder config = RegionalJdbcConfig.builder().sessionSetting(properties.getSessionSetting());
        if (properties.getConnectionBudget() != null) {
            config.connectionBudget(properties.getConnectionBudget());
        }
        return config.build();
    }

    static RegionPoolConfig poolConfig(String region, RegionRouterJdbcProperties.Database db) {
        if (db.getUrl() == null) {
            throw new io.regionrouter.core.InvalidConfigurationException("region-router.jdbc.regions." + region + ".url", null,
                    "region-router.jdbc.regions." + region + ".url must be set, but was null");
        }
        RegionPoolConfig.Builder pool = RegionPoolConfig.builder().jdbcUrl(db.getUrl()).allowPlaintext(db.isAllowPlaintext());
        if (db.getUsername() != null) {
            pool.username(db.getUsername());
        }
        if (db.getPassword() != null) {
            pool.password(db.getPassword());
        }
        if (db.getMaximumPoolSize() != null) {
            pool.maximumPoolSize(db.getMaximumPoolSize());
        }
        if (db.getMinimumIdle() != null) {
            pool.minimumIdle(db.getMinimumIdle());
        }
        if (db.getConnectionTimeout() != null) {
            pool.connectionTimeout(db.getConnectionTimeout());
        }
        if (db.getSocketTimeout() != null) {
            pool.socketTimeout(db.getSocketTimeout());
        }
        db.getProperties().forEach(pool::dataSourceProperty);
        return pool.build();
    }

    /**
     * The application's {@code DataSource}: each connection comes from the region the thread's
     * {@code RegionContext} calls for, chosen at the first statement so that an unavailable region
     * surfaces through Spring as a transient, retryable exception.
     *
     * @param dataSources the regional data sources
     * @return the routing data source
     */
    @Bean
    @Primary
    @ConditionalOnMissingBean(DataSource.class)
    public DataSource dataSource(RegionalDataSources dataSources) {
        return dataSources.lazyRoutingDataSource();
    }

    /**
     * Runs the migrations of {@code region-router.jdbc.migrations.locations} in every region, as each
     * region's owner role, then the residency DDL of every {@link ResidencySchema} bean.
     *
     * @param properties the databases and migration settings
     * @param topology the topology
     * @param schemas the residency schemas to apply after the migrations
     * @param directory the jdbc directory, whose table is created first in every region, if it is the directory
     * @return the migrations, run at startup unless disabled
     */
    @Bean
    @ConditionalOnClass(name = "org.flywaydb.core.Flyway")
    @ConditionalOnMissingBean
    public RegionMigrations regionMigrations(RegionRouterJdbcProperties properties, Topology topology,
            ObjectProvider<ResidencySchema> schemas, ObjectProvider<JdbcRegionDirectory> directory) {
        RegionMigrations migrations = new RegionMigrations(topology, properties, List.copyOf(schemas.orderedStream().toList()),
                directory.getIfAvailable());
        if (properties.getMigrations().isEnabled()) {
            migrations.migrate();
        }
        return migrations;
    }

    /**
     * Hibernate through the routing {@code DataSource}: at startup there is no request and so no
     * region to take a connection from, so Hibernate is told the PostgreSQL dialect (without it,
     * it cannot start) and not to try reading JDBC metadata (which would only fail and log), unless
     * the application set either itself.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HibernatePropertiesCustomizer.class)
    static class HibernateConfiguration {

        /** Hibernate's setting that keeps it from opening a connection at startup. */
        static final String ALLOW_METADATA_ACCESS = "hibernate.boot.allow_jdbc_metadata_access";

        @Bean
        HibernatePropertiesCustomizer regionRouterHibernateProperties() {
            return properties -> {
                properties.putIfAbsent(ALLOW_METADATA_ACCESS, "false");
                properties.putIfAbsent("hibernate.dialect", "org.hibernate.dialect.PostgreSQLDialect");
            };
        }
    }

    /** The directory table, unless {@code region-router.directory.type} chooses another directory. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = "region-router.directory", name = "type", havingValue = "jdbc", matchIfMissing = true)
    static class DirectoryConfiguration {

        /**
         * Small pools of the directory's own, so that a busy application pool never delays routing.
         *
         * @param properties the databases
         * @param topology the topology
         * @return the pools, closed with the context
         */
        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        DirectoryPools regionDirectoryPools(RegionRouterJdbcProperties properties, Topology topology) {
            return DirectoryPools.open(topology, properties.getRegions(),
                    region -> poolConfig(region, properties.getRegions().get(region)).sslMode());
        }

        @Bean
        @ConditionalOnMissingBean(value = RegionDirectory.class, ignored = CachingRegionDirectory.class)
        JdbcRegionDirectory jdbcRegionDirectory(DirectoryPools pools, Topology topology, RegionRouterProperties router) {
            return JdbcRegionDirectory.builder(topology).lookups(pools.nearestFirst().toArray(DataSource[]::new))
                    .assignments(pools.primary()).table(router.getDirectory().getTable())
                    .queryTimeout(router.getDirectory().getQueryTimeout()).build();
        }

        /**
         * Keeps this instance's cache in step with every assignment, through the local copy's
         * notifications; the cache is flushed whenever the listener (re)connects.
         *
         * @param directory the directory table
         * @param cache the cache
         * @param pools the directory's pools, for the listener's own connection to the local region
         * @return the started listener, closed with the context
         */
        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        @ConditionalOnProperty(prefix = "region-router.directory", name = "invalidations", matchIfMissing = true)
        DirectoryInvalidations regionDirectoryInvalidations(JdbcRegionDirectory directory, CachingRegionDirectory cache,
                DirectoryPools pools) {
            return DirectoryInvalidations.builder(directory, cache).listenTo(pools.listenerDataSource()).build().start();
        }
    }
}
