package io.regionrouter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.DataClass;
import io.regionrouter.core.InvalidConfigurationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RegionalRedisConfigTest {

    @Test
    void defaults_areBoundedAndNeverLettuceSixtySeconds() {
        RegionalRedisConfig c = RegionalRedisConfig.defaults();
        assertThat(c.commandTimeout()).isLessThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(c.connectTimeout()).isLessThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(c.requestQueueSize()).isEqualTo(RegionalRedisConfig.DEFAULT_REQUEST_QUEUE_SIZE).isLessThan(Integer.MAX_VALUE);
        assertThat(c.defaultAck()).isEqualTo(AckPolicy.LOCAL);
        assertThat(c.hedgeDelay()).isEmpty();
        assertThat(c.compression()).isFalse();
        assertThat(c.instanceId()).matches("[A-Za-z0-9._-]{1,64}");
        assertThat(c.defaultDataClass()).isEqualTo(DataClass.GLOBAL);
    }

    @Test
    void commandTimeout_rejectsZero() {
        assertThatThrownBy(() -> RegionalRedisConfig.builder().commandTimeout(Duration.ZERO))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("redis.commandTimeout must be > 0, but was PT0S");
    }

    @Test
    void requestQueueSize_rejectsZero() {
        assertThatThrownBy(() -> RegionalRedisConfig.builder().requestQueueSize(0))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("redis.requestQueueSize must be >= 1, but was 0")
                .extracting(e -> ((InvalidConfigurationException) e).field()).isEqualTo("redis.requestQueueSize");
    }

    @Test
    void replayBatchSize_rejectsOutOfRange() {
        assertThatThrownBy(() -> RegionalRedisConfig.builder().replayBatchSize(20_000))
                .hasMessage("redis.replayBatchSize must be in [1, 10000], but was 20000");
    }

    @Test
    void transferPrice_rejectsNegativeAndNaN() {
        assertThatThrownBy(() -> RegionalRedisConfig.builder().transferPricePerGb(-1))
                .hasMessageContaining("redis.transferPricePerGb must be finite and >= 0, but was -1.0");
        assertThatThrownBy(() -> RegionalRedisConfig.builder().transferPricePerGb(Double.NaN))
                .hasMessageContaining("redis.transferPricePerGb");
    }

    @Test
    void instanceId_rejectsSlash() {
        assertThatThrownBy(() -> RegionalRedisConfig.builder().instanceId("a/b"))
                .hasMessageContaining("redis.instanceId must match").hasMessageContaining("\"a/b\"");
    }

    @Test
    void hedgeDelay_mustBeBelowCommandTimeout() {
        assertThatThrownBy(() -> RegionalRedisConfig.builder().commandTimeout(Duration.ofMillis(200))
                .hedgeDelay(Duration.ofMillis(300)).build())
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("redis.hedgeDelay must be < redis.commandTimeout (PT0.2S), but was PT0.3S");
    }

    @Test
    void namespace_cannotBeBothRegulatedAndGlobal() {
        assertThatThrownBy(() -> RegionalRedisConfig.builder().regulated("user:").global("user:"))
                .hasMessageContaining("redis.namespace.prefix").hasMessageContaining("\"user:\"");
    }

    @Test
    void keyPrefix_rejectsBraces() {
        assertThatThrownBy(() -> RegionalRedisConfig.builder().keyPrefix("{x}"))
                .hasMessageContaining("redis.keyPrefix");
    }

    @Test
    void toBuilder_keepsEverySetting() {
        RegionalRedisConfig c = RegionalRedisConfig.builder().commandTimeout(Duration.ofMillis(300))
                .defaultAck(AckPolicy.ALL).compression(true).compressionThreshold(64).instanceId("i-1")
                .regulated("profile:").hedgeDelay(Duration.ofMillis(20)).build();
        RegionalRedisConfig copy = c.toBuilder().build();
        assertThat(copy.toString()).isEqualTo(c.toString());
        assertThat(copy.namespaces()).containsEntry("profile:", DataClass.REGULATED);
    }
}
