package io.regionrouter.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class HealthConfigTest {

    @Test
    void defaults_areTheDocumentedValues() {
        HealthConfig c = HealthConfig.defaults();
        assertThat(c.interval()).isEqualTo(Duration.ofMillis(500)).isEqualTo(HealthConfig.DEFAULT_INTERVAL);
        assertThat(c.timeout()).isEqualTo(Duration.ofMillis(400)).isEqualTo(HealthConfig.DEFAULT_TIMEOUT);
        assertThat(c.failureThreshold()).isEqualTo(4).isEqualTo(HealthConfig.DEFAULT_FAILURE_THRESHOLD);
        assertThat(c.successThreshold()).isEqualTo(2).isEqualTo(HealthConfig.DEFAULT_SUCCESS_THRESHOLD);
        assertThat(HealthConfig.builder().build()).isEqualTo(c);
    }

    @Test
    void toBuilder_roundTrips() {
        HealthConfig c = HealthConfig.builder().interval(Duration.ofSeconds(1)).timeout(Duration.ofMillis(800))
                .failureThreshold(5).successThreshold(3).build();
        assertThat(c.toBuilder().build()).isEqualTo(c).hasSameHashCodeAs(c);
        assertThat(c).isNotEqualTo(HealthConfig.defaults());
        assertThat(c.toString()).contains("interval=PT1S", "timeout=PT0.8S", "failureThreshold=5", "successThreshold=3");
    }

    @Test
    void thresholdsBelowOne_areRejectedNamingFieldAndValue() {
        assertThatThrownBy(() -> HealthConfig.builder().failureThreshold(0))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("healthConfig.failureThreshold must be >= 1, but was 0")
                .satisfies(e -> {
                    assertThat(((InvalidConfigurationException) e).field()).isEqualTo("healthConfig.failureThreshold");
                    assertThat(((InvalidConfigurationException) e).value()).isEqualTo("0");
                });
        assertThatThrownBy(() -> HealthConfig.builder().successThreshold(-2))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("healthConfig.successThreshold must be >= 1, but was -2");
    }

    @Test
    void nonPositiveDurations_areRejected() {
        assertThatThrownBy(() -> HealthConfig.builder().interval(Duration.ZERO))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("healthConfig.interval must be > 0, but was PT0S");
        assertThatThrownBy(() -> HealthConfig.builder().timeout(Duration.ofMillis(-1)))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("healthConfig.timeout must be > 0, but was PT-0.001S");
        assertThatThrownBy(() -> HealthConfig.builder().timeout(null))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("healthConfig.timeout must be > 0, but was null");
    }

    @Test
    void timeoutLongerThanInterval_isRejectedAtBuild() {
        assertThatThrownBy(() -> HealthConfig.builder().interval(Duration.ofMillis(300)).build())
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("healthConfig.timeout must not be longer than healthConfig.interval (PT0.3S), but was PT0.4S");
    }

    @Test
    void callWindowSettings_haveDocumentedDefaults_roundTrip_andAreValidated() {
        HealthConfig c = HealthConfig.defaults();
        assertThat(c.callWindow()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.minimumCalls()).isEqualTo(20);
        assertThat(c.failureRateThreshold()).isEqualTo(50);
        HealthConfig custom = HealthConfig.builder().callWindow(Duration.ofSeconds(30)).minimumCalls(5)
                .failureRateThreshold(80).build();
        assertThat(custom.toBuilder().build()).isEqualTo(custom).isNotEqualTo(c);
        assertThatThrownBy(() -> HealthConfig.builder().callWindow(Duration.ofMillis(10)))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("healthConfig.callWindow must be between 1 s and 1 h, but was PT0.01S");
        assertThatThrownBy(() -> HealthConfig.builder().minimumCalls(0))
                .hasMessage("healthConfig.minimumCalls must be >= 1, but was 0");
        assertThatThrownBy(() -> HealthConfig.builder().failureRateThreshold(101))
                .hasMessage("healthConfig.failureRateThreshold must be between 1 and 100, but was 101");
    }

    @Test
    void upperBounds_areEnforcedNamingFieldAndValue() {
        assertThatThrownBy(() -> HealthConfig.builder().interval(Duration.ofHours(2)))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("healthConfig.interval must be <= PT1H, but was PT2H");
        assertThatThrownBy(() -> HealthConfig.builder().timeout(Duration.ofSeconds(3_000_000_000L)))
                .hasMessage("healthConfig.timeout must be <= PT1H, but was PT833333H20M");
        assertThatThrownBy(() -> HealthConfig.builder().failureThreshold(Integer.MAX_VALUE))
                .hasMessage("healthConfig.failureThreshold must be <= 1000000, but was 2147483647");
        assertThatThrownBy(() -> HealthConfig.builder().minimumCalls(2_000_000))
                .hasMessage("healthConfig.minimumCalls must be <= 1000000, but was 2000000");
    }
}
