package io.regionrouter.jdbc.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.HealthConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FailoverConfigTest {

    @Test
    void defaults_detectADeadPrimaryWithinThreeSeconds() {
        FailoverConfig c = FailoverConfig.defaults();
        assertThat(c.health().interval()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.health().timeout()).isEqualTo(Duration.ofMillis(200));
        assertThat(c.health().failureThreshold()).isEqualTo(8);
        assertThat(c.worstCaseDetection()).isEqualTo(Duration.ofMillis(2650));
        assertThat(c.worstCaseDetection()).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void defaults_makeAFalseFailoverAtTenPercentProbeLossRarerThanOncePerTenThousandHours() {
        FailoverConfig c = FailoverConfig.defaults();
        double loss = 0.10;
        double probesPerHour = Duration.ofHours(1).toNanos() / (double) c.health().interval().toNanos();
        double falseDownPerHour = probesPerHour * Math.pow(loss, c.health().failureThreshold());
        double falseFailoverPerHour = falseDownPerHour * Math.pow(loss, c.confirmations());
        assertThat(falseDownPerHour).isLessThan(2e-4);
        assertThat(falseFailoverPerHour).isLessThan(1e-4 / 10);
    }

    @Test
    void worstCaseDetection_followsTheSettings() {
        FailoverConfig c = FailoverConfig.builder().health(HealthConfig.builder().interval(Duration.ofMillis(100))
                .timeout(Duration.ofMillis(50)).failureThreshold(3).build()).confirmations(0).build();
        assertThat(c.worstCaseDetection()).isEqualTo(Duration.ofMillis(350));
    }

    @Test
    void badValues_areRejectedWithTheFieldAndTheValue() {
        assertThatThrownBy(() -> FailoverConfig.builder().confirmations(-1))
                .hasMessage("failoverConfig.confirmations must be in [0, 20], but was -1");
        assertThatThrownBy(() -> FailoverConfig.builder().confirmationTimeout(Duration.ZERO))
                .hasMessage("failoverConfig.confirmationTimeout must be in [1 ms, 60000 ms], but was 0 ms");
        assertThatThrownBy(() -> FailoverConfig.builder().promoteTimeout(Duration.ofMillis(500)))
                .hasMessage("failoverConfig.promoteTimeout must be in [1000 ms, 600000 ms], but was 500 ms");
        assertThatThrownBy(() -> FailoverConfig.builder().confirmationInterval(Duration.ofMillis(-1)))
                .hasMessage("failoverConfig.confirmationInterval must be in [0 ms, 60000 ms], but was -1 ms");
    }

    @Test
    void toBuilder_keepsEverySetting() {
        FailoverConfig c = FailoverConfig.builder().confirmations(5).automatic(false).drainTimeout(Duration.ofSeconds(9)).build();
        assertThat(c.toBuilder().build().toString()).isEqualTo(c.toString());
    }
}
