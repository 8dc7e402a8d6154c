package io.regionrouter.examples.spring;

import io.regionrouter.core.Topology;
import io.regionrouter.jdbc.ResidencySchema;
import io.regionrouter.spring.boot.RegionRouterJdbcProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The example's regulated table. The starter's {@code RegionMigrations} applies it in every region,
 * as that region's owner role, after the directory table and the Flyway migrations: {@code profiles}
 * is partitioned by region with forced row-level security, so each database holds only the rows its
 * region may hold, whatever the application role does.
 */
@Configuration(proxyBeanMethods = false)
public class ProfileTables {

    /**
     * The {@code profiles} table, granted to the application role of the local region's database
     * (the example uses one role name everywhere).
     */
    @Bean
    ResidencySchema profilesTable(Topology topology, RegionRouterJdbcProperties jdbc) {
        RegionRouterJdbcProperties.Database local = jdbc.getRegions().get(topology.local().id());
        if (local == null || local.getUsername() == null) {
            throw new IllegalStateException("region-router.jdbc.regions." + topology.local() + ".username must name the"
                    + " application role, but was not set");
        }
        return ResidencySchema.builder(topology)
                .table("profiles")
                .column("user_id", "text NOT NULL")
                .column("display_name", "text NOT NULL")
                .primaryKey("user_id")
                .appRole(local.getUsername())
                .build();
    }
}
