package io.regionrouter.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.RegionUnavailableException;
import io.regionrouter.core.Topology;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RegionalDataSourcesBuilderTest {

    private final RegionHealth health = RegionHealth.builder().build();
    private final RegionRouter router = RegionRouter.builder(
            Topology.builder().regions("us", "eu").local("us").primary("us").build()).health(health).build();
    /** Port 1 on localhost refuses at once, so nothing here waits on a network timeout. */
    private final RegionPoolConfig unreachable = RegionPoolConfig.builder().jdbcUrl("jdbc:postgresql://127.0.0.1:1/app?password=topsecret")
            .username("app").password("pw-secret").maximumPoolSize(1).minimumIdle(0).connectionTimeout(Duration.ofMillis(250))
            .validationTimeout(Duration.ofMillis(250)).build();

    @AfterEach
    void close() {
        health.close();
    }

    @Test
    void region_unknownToTheTopology_isRejectedNamingIt() {
        assertThatThrownBy(() -> RegionalDataSources.builder(router).region("ap", unreachable))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("regions.ap: region must be one of the topology's regions [us, eu], but was ap");
    }

    @Test
    void region_configuredTwice_isRejected() {
        assertThatThrownBy(() -> RegionalDataSources.builder(router).region("us", unreachable).region(Region.of("us"), unreachable))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("regions.us").hasMessageContaining("twice");
    }

    @Test
    void build_withARegionMissing_isRejectedBeforeAnyPoolStarts() {
        assertThatThrownBy(() -> RegionalDataSources.builder(router).region("us", unreachable).build())
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("[eu]");
    }

    @Test
    void sessionSetting_andDefaultRegion_areValidated() {
        assertThatThrownBy(() -> RegionalDataSources.builder(router).sessionSetting("x'; DROP TABLE t; --"))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageStartingWith("sessionSetting must");
        assertThatThrownBy(() -> RegionalDataSources.builder(router).defaultRegion(Region.of("ap")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageStartingWith("defaultRegion must");
    }

    @Test
    void build_failFastWithUnreachableDatabase_namesTheRegionAndMasksSecrets() {
        assertThatThrownBy(() -> RegionalDataSources.builder(router).region("us", unreachable).region("eu", unreachable)
                        .healthProbes(false).build())
                .isInstanceOf(RegionUnavailableException.class)
                .hasMessageContaining("regions.us.jdbcUrl").hasMessageContaining("unreachable at startup")
                .hasMessageNotContaining("topsecret").hasMessageNotContaining("pw-secret");
    }

    @Test
    void build_lazyWithUnreachableDatabase_startsAndForUserRejectsNullUser() {
        try (RegionalDataSources pg = RegionalDataSources.builder(router).region("us", unreachable).region("eu", unreachable)
                .startup(StartupMode.LAZY).healthProbes(false).build()) {
            assertThat(pg.regions()).containsExactly(Region.of("us"), Region.of("eu"));
            assertThat(pg.pool(Region.of("eu")).getPoolName()).isEqualTo("region-router-eu");
            assertThat(pg.toString()).contains("app.user_region").doesNotContain("pw-secret");
            assertThatThrownBy(() -> pg.forUser(null)).isInstanceOf(NullPointerException.class).hasMessage("userId must not be null");
            assertThatThrownBy(() -> pg.forUser(" ")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("userId");
            assertThatThrownBy(() -> pg.pool(Region.of("ap"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ap");
        }
    }

    @Test
    void close_unregistersTheHealthProbes() {
        RegionalDataSources pg = RegionalDataSources.builder(router).region("us", unreachable).region("eu", unreachable)
                .startup(StartupMode.LAZY).build();
        assertThat(health.registeredRegions()).containsExactlyInAnyOrder(Region.of("us"), Region.of("eu"));
        pg.close();
        assertThat(health.registeredRegions()).as("a closed instance must not keep probing or hold regions DOWN").isEmpty();
    }
}
