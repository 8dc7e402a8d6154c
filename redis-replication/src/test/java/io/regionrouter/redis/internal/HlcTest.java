package io.regionrouter.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.redis.Version;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HlcTest {

    private final AtomicLong wall = new AtomicLong(1_700_000_000_000L);
    private final Hlc hlc = new Hlc(wall::get);

    @Test
    void next_usesPhysicalTimeWhenClockAdvances() {
        long first = hlc.next();
        wall.addAndGet(5);
        long second = hlc.next();
        assertThat(new Version(first, "w").physicalMillis()).isEqualTo(1_700_000_000_000L);
        assertThat(new Version(second, "w").physicalMillis()).isEqualTo(1_700_000_000_005L);
        assertThat(new Version(second, "w").logical()).isZero();
    }

    @Test
    void next_isStrictlyMonotonicWhenClockStandsStill() {
        long a = hlc.next();
        long b = hlc.next();
        long c = hlc.next();
        assertThat(b).isGreaterThan(a);
        assertThat(c).isGreaterThan(b);
        assertThat(new Version(c, "w").logical()).isEqualTo(2);
        assertThat(new Version(c, "w").physicalMillis()).isEqualTo(wall.get());
    }

    @Test
    void next_isStrictlyMonotonicWhenClockGoesBackwards() {
        long before = hlc.next();
        wall.addAndGet(-10_000);
        long after = hlc.next();
        assertThat(Long.compareUnsigned(after, before)).isPositive();
        assertThat(new Version(after, "w").physicalMillis()).isEqualTo(1_700_000_000_000L);
    }

    @Test
    void next_carriesLogicalOverflowIntoPhysical() {
        long t = 0;
        for (int i = 0; i <= Version.MAX_LOGICAL + 1; i++) {
            t = hlc.next();
        }
        assertThat(new Version(t, "w").physicalMillis()).isEqualTo(1_700_000_000_001L);
        assertThat(new Version(t, "w").logical()).isZero();
    }

    @Test
    void observe_movesPastASkewedAheadWriter() {
        AtomicLong ahead = new AtomicLong(wall.get() + 500);
        Hlc other = new Hlc(ahead::get);
        long remote = other.next();
        hlc.observe(remote);
        long local = hlc.next();
        assertThat(Long.compareUnsigned(local, remote)).isPositive();
    }

    @Test
    void observe_refusesATimestampFurtherAheadThanTheMaximumOffset_andTheClockStaysPut() {
        Hlc bounded = new Hlc(wall::get, 1_000);
        long before = bounded.next();
        long farAhead = Version.timestamp(wall.get() + 60_000, 0);
        assertThat(bounded.observe(farAhead)).isFalse();
        assertThat(Long.compareUnsigned(bounded.next(), farAhead)).as("not dragged forward").isNegative();
        long near = Version.timestamp(wall.get() + 900, 0);
        assertThat(bounded.observe(near)).isTrue();
        assertThat(Long.compareUnsigned(bounded.next(), near)).isPositive();
        assertThat(before).isNotZero();
    }

    @Test
    void next_neverWrapsToZero_atTheLargestTimestamp() {
        Hlc unbounded = new Hlc(wall::get);
        assertThat(unbounded.observe(-1L)).isTrue();
        assertThatThrownBy(unbounded::next).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("largest timestamp");
        assertThat(unbounded.last()).as("still the largest, never 0").isEqualTo(-1L);
    }

    @Test
    void observe_ignoresOlderTimestamps() {
        long current = hlc.next();
        hlc.observe(current - (10L << Version.LOGICAL_BITS));
        assertThat(hlc.last()).isEqualTo(current);
    }

    @Test
    void version_encodesPhysicalAndLogicalParts() {
        long ts = Version.timestamp(123_456L, 7);
        Version v = new Version(ts, "us/a");
        assertThat(v.physicalMillis()).isEqualTo(123_456L);
        assertThat(v.logical()).isEqualTo(7);
        assertThat(ts).isEqualTo((123_456L << 16) | 7);
    }

    @Test
    void version_rejectsOutOfRangeParts() {
        assertThatThrownBy(() -> Version.timestamp(-1, 0)).hasMessageContaining("physicalMillis");
        assertThatThrownBy(() -> Version.timestamp(1, Version.MAX_LOGICAL + 1)).hasMessageContaining("logical");
    }

    @Test
    void version_tieBreaksOnWriterIdWithRegionFirst() {
        long ts = Version.timestamp(1000, 0);
        assertThat(new Version(ts, "eu/x")).isLessThan(new Version(ts, "us/a"));
        assertThat(new Version(ts, "us/a")).isLessThan(new Version(ts, "us/b"));
        assertThat(new Version(ts + 1, "ap/a")).isGreaterThan(new Version(ts, "us/z"));
    }

    @Test
    void version_comparesTimestampsUnsigned() {
        long high = Version.timestamp((1L << 47) + 1, 0); // sign bit set
        assertThat(high).isNegative();
        assertThat(new Version(high, "a")).isGreaterThan(new Version(Version.timestamp(1, 0), "a"));
    }
}
