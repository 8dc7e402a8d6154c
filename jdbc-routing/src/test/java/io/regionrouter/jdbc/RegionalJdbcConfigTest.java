package io.regionrouter.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.InvalidConfigurationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RegionalJdbcConfigTest {

    @Test
    void defaults_areTodaysDefaults_withTheBudgetDerivedFromThePools() {
        RegionalJdbcConfig defaults = RegionalJdbcConfig.defaults();
        assertThat(defaults.connectionBudget()).as("unset: the pools' longest connectionTimeout").isEmpty();
        assertThat(defaults.sessionSetting()).isEqualTo("app.user_region");
        assertThat(defaults.startup()).isEqualTo(StartupMode.FAIL_FAST);
        assertThat(defaults.replicaReads()).isEqualTo(ReplicaReadConfig.defaults());
        assertThat(RegionalJdbcConfig.builder().build()).isEqualTo(defaults).hasSameHashCodeAs(defaults);
    }

    @Test
    void builder_setsEverySetting_andToBuilderKeepsThem() {
        ReplicaReadConfig reads = ReplicaReadConfig.builder().maxLag(Duration.ofSeconds(1)).readYourWrites(true).build();
        RegionalJdbcConfig config = RegionalJdbcConfig.builder().connectionBudget(Duration.ofSeconds(5))
                .sessionSetting("tenant.region").startup(StartupMode.LAZY).replicaReads(reads).build();
        assertThat(config.connectionBudget()).contains(Duration.ofSeconds(5));
        assertThat(config.sessionSetting()).isEqualTo("tenant.region");
        assertThat(config.startup()).isEqualTo(StartupMode.LAZY);
        assertThat(config.replicaReads()).isEqualTo(reads);
        assertThat(config.toBuilder().build()).isEqualTo(config).hasSameHashCodeAs(config);
        assertThat(config.toBuilder().connectionBudgetFromPools().build().connectionBudget()).isEmpty();
        assertThat(config.toBuilder().startup(StartupMode.FAIL_FAST).build()).isNotEqualTo(config);
        assertThat(config.toBuilder().replicaReads(ReplicaReadConfig.defaults()).build()).isNotEqualTo(config);
        assertThat(config.toBuilder().sessionSetting("app.user_region").build()).isNotEqualTo(config);
        assertThat(config.toBuilder().connectionBudget(Duration.ofSeconds(6)).build()).isNotEqualTo(config);
    }

    @Test
    void connectionBudget_outOfRange_namesFieldAndValue_andTheBoundsAreAccepted() {
        assertThatThrownBy(() -> RegionalJdbcConfig.builder().connectionBudget(Duration.ofMillis(100)))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("connectionBudget must be between 250 ms and 10 min, but was 100 ms")
                .satisfies(e -> {
                    assertThat(((InvalidConfigurationException) e).field()).isEqualTo("connectionBudget");
                    assertThat(((InvalidConfigurationException) e).value()).isEqualTo("PT0.1S");
                });
        assertThatThrownBy(() -> RegionalJdbcConfig.builder().connectionBudget(Duration.ofMinutes(10).plusMillis(1)))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageEndingWith("but was 600001 ms");
        assertThatThrownBy(() -> RegionalJdbcConfig.builder().connectionBudget(null))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageEndingWith("but was null");
        assertThat(RegionalJdbcConfig.builder().connectionBudget(RegionalJdbcConfig.MIN_CONNECTION_BUDGET).build()
                .connectionBudget()).contains(Duration.ofMillis(250));
        assertThat(RegionalJdbcConfig.builder().connectionBudget(RegionalJdbcConfig.MAX_CONNECTION_BUDGET).build()
                .connectionBudget()).contains(Duration.ofMinutes(10));
    }

    @Test
    void sessionSetting_startupAndReplicaReads_badValues_nameTheField() {
        assertThatThrownBy(() -> RegionalJdbcConfig.builder().sessionSetting("x'; DROP TABLE t; --"))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageStartingWith("sessionSetting must")
                .hasMessageContaining("DROP TABLE")
                .satisfies(e -> assertThat(((InvalidConfigurationException) e).field()).isEqualTo("sessionSetting"));
        assertThatThrownBy(() -> RegionalJdbcConfig.builder().sessionSetting("nodot"))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("nodot");
        assertThatThrownBy(() -> RegionalJdbcConfig.builder().startup(null))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("startup must be one of [FAIL_FAST, LAZY], but was null")
                .satisfies(e -> assertThat(((InvalidConfigurationException) e).field()).isEqualTo("startup"));
        assertThatThrownBy(() -> RegionalJdbcConfig.builder().replicaReads(null))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageStartingWith("replicaReads must not be null")
                .satisfies(e -> assertThat(((InvalidConfigurationException) e).field()).isEqualTo("replicaReads"));
    }

    @Test
    void toString_namesEverySetting() {
        assertThat(RegionalJdbcConfig.defaults()).hasToString("RegionalJdbcConfig[connectionBudget=derived,"
                + " sessionSetting=app.user_region, startup=FAIL_FAST, replicaReads=" + ReplicaReadConfig.defaults() + "]");
        assertThat(RegionalJdbcConfig.builder().connectionBudget(Duration.ofSeconds(5)).startup(StartupMode.LAZY).build()
                .toString()).contains("connectionBudget=PT5S").contains("startup=LAZY");
    }

    @Test
    void replicaReadConfig_isEqualByValue() {
        ReplicaReadConfig a = ReplicaReadConfig.builder().maxLag(Duration.ofSeconds(1)).build();
        assertThat(a).isEqualTo(ReplicaReadConfig.builder().maxLag(Duration.ofSeconds(1)).build())
                .hasSameHashCodeAs(ReplicaReadConfig.builder().maxLag(Duration.ofSeconds(1)).build())
                .isNotEqualTo(ReplicaReadConfig.defaults())
                .isNotEqualTo(a.toBuilder().readYourWrites(true).build());
    }
}
