package io.regionrouter.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.netcrusher.core.throttle.Throttler;

class AdjustableDelayTest {

    @Test
    void zeroDelay_sendsAtOnce() {
        AdjustableDelay d = new AdjustableDelay();
        assertThat(d.calculateDelayNs(ByteBuffer.allocate(1))).isEqualTo(Throttler.NO_DELAY_NS);
        assertThat(d.get()).isZero();
    }

    @Test
    void delay_canBeChangedAtRuntime() {
        AdjustableDelay d = new AdjustableDelay();
        d.set(Duration.ofMillis(40));
        assertThat(d.calculateDelayNs(ByteBuffer.allocate(1))).isEqualTo(40_000_000L);
        d.set(Duration.ofMillis(5));
        assertThat(d.calculateDelayNs(ByteBuffer.allocate(1))).isEqualTo(5_000_000L);
        d.set(Duration.ZERO);
        assertThat(d.calculateDelayNs(ByteBuffer.allocate(1))).isEqualTo(Throttler.NO_DELAY_NS);
    }
}
