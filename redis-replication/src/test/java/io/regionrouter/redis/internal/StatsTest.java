package io.regionrouter.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.regionrouter.core.Region;
import io.regionrouter.redis.RegionStats;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {

    private static final Region US = Region.of("us");
    private static final Region EU = Region.of("eu");

    @Test
    void snapshot_estimatesCostOnlyForCrossRegionBytes() {
        Stats stats = new Stats(List.of(US, EU), US, 0.05);
        stats.of(US).sent(3_000_000_000L, 1_000_000_000L);
        stats.of(EU).sent(3_000_000_000L, 1_000_000_000L);
        stats.of(EU).sent(1_000_000_000L, 1_000_000_000L);
        RegionStats eu = stats.snapshot().get(EU);
        assertThat(eu.rawBytes()).isEqualTo(4_000_000_000L);
        assertThat(eu.sentBytes()).isEqualTo(2_000_000_000L);
        assertThat(eu.savedBytes()).isEqualTo(2_000_000_000L);
        assertThat(eu.crossRegion()).isTrue();
        assertThat(eu.estimatedTransferCost()).isCloseTo(0.10, within(1e-12));
        assertThat(stats.snapshot().get(US).estimatedTransferCost()).isZero();
        assertThat(stats.snapshot().get(US).crossRegion()).isFalse();
    }

    @Test
    void snapshot_keepsTopologyOrder() {
        Stats stats = new Stats(List.of(EU, US), US, 0.02);
        assertThat(stats.snapshot().keySet()).containsExactly(EU, US);
    }
}
