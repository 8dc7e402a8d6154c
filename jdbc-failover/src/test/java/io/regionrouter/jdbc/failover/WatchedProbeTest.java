package io.regionrouter.jdbc.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.jdbc.failover.internal.WatchedProbe;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WatchedProbeTest {

    private final AtomicLong now = new AtomicLong(100);
    private final AtomicBoolean fail = new AtomicBoolean();
    private final AtomicInteger calls = new AtomicInteger();
    private final WatchedProbe probe = new WatchedProbe("us-primary", timeout -> {
        calls.incrementAndGet();
        if (fail.get()) {
            throw new SQLException("down", "08006");
        }
    }, now::get);

    @Test
    void countsResults_andRemembersTheLastSuccess() throws Exception {
        now.set(200);
        probe.check(Duration.ofMillis(10));
        fail.set(true);
        now.set(300);
        assertThatThrownBy(() -> probe.check(Duration.ofMillis(10))).isInstanceOf(SQLException.class);
        assertThat(probe.successes()).isEqualTo(1);
        assertThat(probe.failures()).isEqualTo(1);
        assertThat(probe.lastSuccessNanos()).isEqualTo(200);
    }

    @Test
    void aSimulatedOutage_failsWithoutCallingTheServer_untilItEnds() throws Exception {
        probe.simulateOutage(true);
        assertThatThrownBy(() -> probe.check(Duration.ofMillis(10))).isInstanceOf(WatchedProbe.SimulatedOutage.class)
                .hasMessage("drill: simulated outage of us-primary");
        assertThat(calls).hasValue(0);
        probe.simulateOutage(false);
        probe.check(Duration.ofMillis(10));
        assertThat(calls).hasValue(1);
    }
}
