package io.regionrouter.spring.boot.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.regionrouter.core.Topology;
import io.regionrouter.spring.boot.RegionRouterJdbcProperties;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DirectoryPoolsTest {

    static final Topology TOPOLOGY = Topology.builder().regions("us", "eu").local("eu").primary("us").build();

    static RegionRouterJdbcProperties.Database db(String url) {
        RegionRouterJdbcProperties.Database db = new RegionRouterJdbcProperties.Database();
        db.setUrl(url);
        db.setUsername("app");
        db.setPassword("s3cret");
        return db;
    }

    @Test
    void localFirst_primaryForAssignments_andTheTlsModeOfEachRegionsPool() {
        Map<String, RegionRouterJdbcProperties.Database> dbs = new LinkedHashMap<>();
        dbs.put("us", db("jdbc:postgresql://us.internal/app"));
        dbs.put("eu", db("jdbc:postgresql://eu.internal/app"));
        try (DirectoryPools pools = DirectoryPools.open(TOPOLOGY, dbs, region -> region.equals("eu") ? "verify-full" : null)) {
            HikariDataSource eu = (HikariDataSource) pools.nearestFirst().get(0);
            HikariDataSource us = (HikariDataSource) pools.primary();
            assertThat(eu.getPoolName()).isEqualTo("region-directory-eu");
            assertThat(us.getPoolName()).isEqualTo("region-directory-us");
            assertThat(eu.getDataSourceProperties().getProperty("sslmode")).isEqualTo("verify-full");
            assertThat(us.getDataSourceProperties().getProperty("sslmode")).isNull();
            assertThat(pools.toString()).doesNotContain("s3cret");
        }
    }

    @Test
    void thePrimaryRegion_mustHaveADatabase() {
        assertThatThrownBy(() -> DirectoryPools.open(TOPOLOGY, Map.of("eu", db("jdbc:postgresql://eu.internal/app")), r -> null))
                .hasMessage("region-router.jdbc.regions must include the primary region us, which holds the directory, but names only [eu]");
    }
}
