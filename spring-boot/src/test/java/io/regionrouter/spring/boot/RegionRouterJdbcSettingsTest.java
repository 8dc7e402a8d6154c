package io.regionrouter.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.jdbc.RegionalJdbcConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code region-router.jdbc.session-setting} and {@code connection-budget} become one {@link RegionalJdbcConfig}. */
class RegionRouterJdbcSettingsTest {

    @Test
    void unsetProperties_giveTheLibraryDefaults() {
        assertThat(RegionRouterJdbcAutoConfiguration.jdbcConfig(new RegionRouterJdbcProperties()))
                .isEqualTo(RegionalJdbcConfig.defaults());
    }

    @Test
    void properties_becomeTheConfig() {
        RegionRouterJdbcProperties properties = new RegionRouterJdbcProperties();
        properties.setSessionSetting("tenant.region");
        properties.setConnectionBudget(Duration.ofSeconds(5));
        assertThat(RegionRouterJdbcAutoConfiguration.jdbcConfig(properties)).isEqualTo(RegionalJdbcConfig.builder()
                .sessionSetting("tenant.region").connectionBudget(Duration.ofSeconds(5)).build());
    }

    @Test
    void badValues_failNamingTheSetting() {
        RegionRouterJdbcProperties properties = new RegionRouterJdbcProperties();
        properties.setConnectionBudget(Duration.ofMillis(10));
        assertThatThrownBy(() -> RegionRouterJdbcAutoConfiguration.jdbcConfig(properties))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageStartingWith("connectionBudget must be")
                .hasMessageEndingWith("but was 10 ms");
    }
}
