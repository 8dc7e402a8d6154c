package io.regionrouter.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.RegionUnavailableException;
import io.regionrouter.core.Store;
import io.regionrouter.core.Topology;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RegionalDataSourcesBuilderTest {

    private static final RegionalJdbcConfig LAZY = RegionalJdbcConfig.builder().startup(StartupMode.LAZY).build();

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
    @SuppressWarnings("deprecation") // the deprecated per-setting method validates as the configuration does
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
                .config(LAZY).healthProbes(false).build()) {
            assertThat(pg.regions()).containsExactly(Region.of("us"), Region.of("eu"));
            assertThat(pg.pool(Region.of("eu")).getPoolName()).isEqualTo("region-router-eu");
            assertThat(pg.toString()).contains("app.user_region").doesNotContain("pw-secret");
            assertThatThrownBy(() -> pg.forUser(null)).isInstanceOf(NullPointerException.class).hasMessage("userId must not be null");
            assertThatThrownBy(() -> pg.forUser(" ")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("userId");
            assertThatThrownBy(() -> pg.pool(Region.of("ap"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ap");
        }
    }

    @Test
    @SuppressWarnings("deprecation") // the deprecated per-setting method validates as the configuration does
    void connectionBudget_outOfBounds_isRejectedNamingFieldAndValue() {
        assertThatThrownBy(() -> RegionalDataSources.builder(router).connectionBudget(Duration.ofMillis(100)))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("connectionBudget must be between 250 ms and 10 min, but was 100 ms")
                .satisfies(e -> assertThat(((InvalidConfigurationException) e).field()).isEqualTo("connectionBudget"));
        assertThatThrownBy(() -> RegionalDataSources.builder(router).connectionBudget(Duration.ofMinutes(11)))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageEndingWith("but was 660000 ms");
        assertThatThrownBy(() -> RegionalDataSources.builder(router).connectionBudget(null))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageEndingWith("but was null");
        assertThatThrownBy(() -> RegionalDataSources.builder(router).store(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("store must not be null");
    }

    @Test
    void connectionBudget_defaultsToTheLongestConnectionTimeout_andStoreToPostgres() {
        RegionPoolConfig slower = unreachable.toBuilder().connectionTimeout(Duration.ofMillis(700)).build();
        try (RegionalDataSources pg = RegionalDataSources.builder(router).region("us", unreachable).region("eu", slower)
                .config(LAZY).healthProbes(false).build()) {
            assertThat(pg.connectionBudget()).isEqualTo(Duration.ofMillis(700));
            assertThat(pg.store()).isEqualTo(Store.POSTGRES);
        }
        try (RegionalDataSources pg = RegionalDataSources.builder(router).region("us", unreachable).region("eu", slower)
                .config(LAZY.toBuilder().connectionBudget(Duration.ofSeconds(5)).build()).healthProbes(false)
                .store(Store.of("postgres-billing")).build()) {
            assertThat(pg.connectionBudget()).isEqualTo(Duration.ofSeconds(5));
            assertThat(pg.store()).isEqualTo(Store.of("postgres-billing"));
            assertThat(pg.toString()).contains("store=postgres-billing").contains("connectionBudget=PT5S");
        }
    }

    @Test
    void probes_registerUnderTheConfiguredStore_soEachClusterHasItsOwnVerdict() {
        try (RegionalDataSources pg = RegionalDataSources.builder(router).region("us", unreachable).region("eu", unreachable)
                .config(LAZY).store(Store.of("postgres-billing")).build()) {
            assertThat(health.states(Region.of("eu"))).containsOnlyKeys(Store.of("postgres-billing"));
        }
        assertThat(health.states(Region.of("eu"))).isEmpty();
    }

    @Test
    void close_unregistersTheHealthProbes() {
        RegionalDataSources pg = RegionalDataSources.builder(router).region("us", unreachable).region("eu", unreachable)
                .config(LAZY).build();
        assertThat(health.registeredRegions()).containsExactlyInAnyOrder(Region.of("us"), Region.of("eu"));
        pg.close();
        assertThat(health.registeredRegions()).as("a closed instance must not keep probing or hold regions DOWN").isEmpty();
    }
}
