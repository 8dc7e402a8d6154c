package io.regionrouter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.InvalidConfigurationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReplicationModeTest {

    @Test
    void batched_keepsItsSettings_andDefaultsTheBound() {
        ReplicationMode m = ReplicationMode.batched(Duration.ofMillis(500), 64 * 1024);
        assertThat(m.isBatched()).isTrue();
        assertThat(m.maxDelay()).isEqualTo(Duration.ofMillis(500));
        assertThat(m.maxBytes()).isEqualTo(64 * 1024);
        assertThat(m.rpoBound()).isEqualTo(Duration.ofSeconds(2));
        assertThat(m).isEqualTo(ReplicationMode.batched(Duration.ofMillis(500), 64 * 1024, Duration.ofSeconds(2)));
    }

    @Test
    void immediate_hasNoBatchSettings() {
        assertThat(ReplicationMode.IMMEDIATE.isBatched()).isFalse();
        assertThatThrownBy(ReplicationMode.IMMEDIATE::maxDelay).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void outOfRangeValues_failNamingTheField() {
        assertThatThrownBy(() -> ReplicationMode.batched(Duration.ofMillis(5), 4096))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("redis.replication.maxDelay")
                .hasMessageContaining("PT0.005S");
        assertThatThrownBy(() -> ReplicationMode.batched(Duration.ofSeconds(1), 100))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("redis.replication.maxBytes")
                .hasMessageContaining("100");
        assertThatThrownBy(() -> ReplicationMode.batched(Duration.ofSeconds(5), 4096, Duration.ofSeconds(1)))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("redis.replication.rpoBound");
    }

    @Test
    void config_returnsImmediateUnlessSet() {
        ReplicationMode batched = ReplicationMode.batched(Duration.ofSeconds(5), 1 << 20);
        RegionalRedisConfig c = RegionalRedisConfig.builder().replication("eu", batched).build();
        assertThat(c.replication("eu")).isEqualTo(batched);
        assertThat(c.replication("ap")).isEqualTo(ReplicationMode.IMMEDIATE);
        assertThat(c.toBuilder().build().replication("eu")).isEqualTo(batched);
        assertThatThrownBy(() -> RegionalRedisConfig.builder().replication(" ", batched))
                .isInstanceOf(InvalidConfigurationException.class);
    }
}
