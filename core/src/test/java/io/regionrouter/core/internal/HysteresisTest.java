package io.regionrouter.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionState;
import io.regionrouter.core.Store;
import io.regionrouter.core.RegionStateChangedEvent;

class HysteresisTest {

    private static final Region EU = Region.of("eu");
    private final Hysteresis h = new Hysteresis(EU, Store.POSTGRES, 3, 2);

    @Test
    void startsUp() {
        assertThat(h.state()).isEqualTo(RegionState.UP);
    }

    @Test
    void thresholdConsecutiveFailures_markDown_withLastFailure() {
        RuntimeException last = new RuntimeException("third");
        assertThat(h.onFailure(new RuntimeException())).isNull();
        assertThat(h.onFailure(new RuntimeException())).isNull();
        RegionStateChangedEvent e = h.onFailure(last);
        assertThat(e).isEqualTo(new RegionStateChangedEvent(EU, Store.POSTGRES, RegionState.UP, RegionState.DOWN, last));
        assertThat(h.state()).isEqualTo(RegionState.DOWN);
    }

    @Test
    void aSuccess_resetsTheFailureCount() {
        h.onFailure(new RuntimeException());
        h.onFailure(new RuntimeException());
        h.onSuccess();
        h.onFailure(new RuntimeException());
        assertThat(h.onFailure(new RuntimeException())).isNull();
        assertThat(h.state()).isEqualTo(RegionState.UP);
        assertThat(h.consecutiveFailures()).isEqualTo(2);
    }

    @Test
    void thresholdConsecutiveSuccesses_markUp_andAFailureResetsThem() {
        for (int i = 0; i < 3; i++) {
            h.onFailure(new RuntimeException());
        }
        assertThat(h.onSuccess()).isNull();
        assertThat(h.onFailure(new RuntimeException())).as("already DOWN: no event").isNull();
        assertThat(h.onSuccess()).isNull();
        assertThat(h.consecutiveSuccesses()).isEqualTo(1);
        assertThat(h.onSuccess()).isEqualTo(new RegionStateChangedEvent(EU, Store.POSTGRES, RegionState.DOWN, RegionState.UP, null));
        assertThat(h.state()).isEqualTo(RegionState.UP);
    }

    @Test
    void successesWhileUp_produceNoEvents() {
        assertThat(h.onSuccess()).isNull();
        assertThat(h.onSuccess()).isNull();
        assertThat(h.consecutiveSuccesses()).isZero();
    }

    @Test
    void rejectsThresholdsBelowOne() {
        assertThatThrownBy(() -> new Hysteresis(EU, Store.POSTGRES, 0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
    }
}
