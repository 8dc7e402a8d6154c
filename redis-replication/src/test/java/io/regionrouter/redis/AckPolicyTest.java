package io.regionrouter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class AckPolicyTest {

    @ParameterizedTest
    @CsvSource({
        "LOCAL,1,1", "LOCAL,3,1", "QUORUM,1,1", "QUORUM,2,2", "QUORUM,3,2", "QUORUM,4,3", "QUORUM,5,3",
        "ALL,1,1", "ALL,3,3", "ALL,5,5"
    })
    void required_matchesPolicy(AckPolicy policy, int targets, int expected) {
        assertThat(policy.required(targets)).isEqualTo(expected);
    }

    @Test
    void required_rejectsZeroTargets() {
        assertThatThrownBy(() -> AckPolicy.QUORUM.required(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("targets must be >= 1, but was 0");
    }
}
