package io.regionrouter.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.RegionUnavailableException;
import io.regionrouter.core.Topology;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The settings given with {@code Builder.config(RegionalJdbcConfig)} take effect, and how they mix with the deprecated calls. */
class RegionalDataSourcesConfigTest {

    private static final Region US = Region.of("us");
    private static final Region EU = Region.of("eu");

    private final RegionHealth health = RegionHealth.builder().build();
    private final RegionRouter router = RegionRouter.builder(
            Topology.builder().regions("us", "eu").local("us").primary("us").build()).health(health).build();
    /** Port 1 on localhost refuses at once, so nothing here waits on a network timeout. */
    private final RegionPoolConfig unreachable = RegionPoolConfig.builder().jdbcUrl("jdbc:postgresql://127.0.0.1:1/app")
            .username("app").password("pw-secret").maximumPoolSize(1).minimumIdle(0).connectionTimeout(Duration.ofMillis(250))
            .validationTimeout(Duration.ofMillis(250)).build();
    private final RegionPoolConfig slower = unreachable.toBuilder().connectionTimeout(Duration.ofMillis(700)).build();

    @AfterEach
    void close() {
        health.close();
    }

    private RegionalDataSources.Builder builder() {
        return RegionalDataSources.builder(router).region(US, unreachable).region(EU, slower).healthProbes(false);
    }

    @Test
    void startupLazy_fromTheConfig_startsWithoutTheUnreachableDatabases() {
        assertThatThrownBy(() -> builder().build()).as("the default, FAIL_FAST").isInstanceOf(RegionUnavailableException.class);
        try (RegionalDataSources pg = builder().config(RegionalJdbcConfig.builder().startup(StartupMode.LAZY).build()).build()) {
            assertThat(pg.regions()).containsExactly(US, EU);
            assertThat(pg.config().startup()).isEqualTo(StartupMode.LAZY);
            assertThat(pg.toString()).contains("startup=LAZY");
        }
    }

    @Test
    void sessionSetting_fromTheConfig_isBoundByEveryPool() {
        RegionalJdbcConfig config = RegionalJdbcConfig.builder().startup(StartupMode.LAZY).sessionSetting("tenant.region").build();
        try (RegionalDataSources pg = builder().config(config).build()) {
            assertThat(pg.sessionSetting()).isEqualTo("tenant.region");
            assertThat(pg.pool(US).getConnectionInitSql()).contains("'tenant.region'").contains("'us'")
                    .doesNotContain("app.user_region");
            assertThat(pg.pool(EU).getConnectionInitSql()).contains("'tenant.region'").contains("'eu'");
        }
    }

    @Test
    void connectionBudget_fromTheConfig_wins_andUnsetIsTheLongestPoolTimeout() {
        RegionalJdbcConfig lazy = RegionalJdbcConfig.builder().startup(StartupMode.LAZY).build();
        try (RegionalDataSources pg = builder().config(lazy).build()) {
            assertThat(pg.connectionBudget()).isEqualTo(Duration.ofMillis(700));
            assertThat(pg.config().connectionBudget()).isEmpty();
        }
        try (RegionalDataSources pg = builder().config(lazy.toBuilder().connectionBudget(Duration.ofSeconds(5)).build()).build()) {
            assertThat(pg.connectionBudget()).isEqualTo(Duration.ofSeconds(5));
            assertThat(pg.toString()).contains("connectionBudget=PT5S");
        }
    }

    @Test
    void config_null_isRefused() {
        assertThatThrownBy(() -> RegionalDataSources.builder(router).config(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("config must not be null");
    }

    @Test
    @SuppressWarnings("deprecation")
    void deprecatedPerSettingCalls_overrideTheirFieldOfTheConfig_inEitherOrder() {
        RegionalJdbcConfig config = RegionalJdbcConfig.builder().startup(StartupMode.LAZY).sessionSetting("tenant.region")
                .connectionBudget(Duration.ofSeconds(3)).build();
        ReplicaReadConfig reads = ReplicaReadConfig.builder().maxLag(Duration.ofSeconds(1)).build();
        RegionalJdbcConfig expected = config.toBuilder().sessionSetting("billing.region").replicaReads(reads).build();
        try (RegionalDataSources before = builder().sessionSetting("billing.region").replicaReads(reads).config(config).build();
             RegionalDataSources after = builder().config(config).sessionSetting("billing.region").replicaReads(reads).build()) {
            assertThat(before.config()).isEqualTo(expected);
            assertThat(after.config()).isEqualTo(expected);
            assertThat(before.pool(US).getConnectionInitSql()).contains("'billing.region'");
            assertThat(before.connectionBudget()).as("untouched fields come from the config").isEqualTo(Duration.ofSeconds(3));
        }
        try (RegionalDataSources pg = builder().startup(StartupMode.LAZY).connectionBudget(Duration.ofSeconds(4))
                .config(RegionalJdbcConfig.defaults()).build()) {
            assertThat(pg.config().startup()).isEqualTo(StartupMode.LAZY);
            assertThat(pg.connectionBudget()).isEqualTo(Duration.ofSeconds(4));
        }
    }
}
