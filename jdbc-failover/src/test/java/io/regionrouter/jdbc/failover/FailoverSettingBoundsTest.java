package io.regionrouter.jdbc.failover;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.InvalidConfigurationException;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every failover count and duration has a range; a value outside fails naming the field and the value. */
class FailoverSettingBoundsTest {

    private static final Duration HUGE = Duration.ofSeconds(3_000_000_000L);

    static Stream<Arguments> badSettings() {
        return Stream.of(
                bad("failoverConfig.confirmations", () -> FailoverConfig.builder().confirmations(21),
                        "failoverConfig.confirmations must be in [0, 20], but was 21"),
                bad("failoverConfig.promoteTimeout", () -> FailoverConfig.builder().promoteTimeout(HUGE),
                        "failoverConfig.promoteTimeout must be in [1000 ms, 600000 ms], but was 3000000000000 ms"),
                bad("failoverConfig.drainTimeout", () -> FailoverConfig.builder().drainTimeout(Duration.ofHours(1)),
                        "failoverConfig.drainTimeout must be in [1 ms, 600000 ms], but was 3600000 ms"),
                bad("failoverConfig.confirmationInterval", () -> FailoverConfig.builder().confirmationInterval(Duration.ofMillis(-1)),
                        "failoverConfig.confirmationInterval must be in [0 ms, 60000 ms], but was -1 ms"));
    }

    private static Arguments bad(String field, Runnable setting, String message) {
        return Arguments.of(field, setting, message);
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("badSettings")
    void outOfRange_failsNamingFieldAndValue(String field, Runnable setting, String message) {
        assertThatThrownBy(setting::run).isInstanceOfSatisfying(InvalidConfigurationException.class,
                e -> org.assertj.core.api.Assertions.assertThat(e.field()).isEqualTo(field)).hasMessage(message);
    }
}
