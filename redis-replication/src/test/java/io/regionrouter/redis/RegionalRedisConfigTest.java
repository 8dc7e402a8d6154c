package io.regionrouter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.DataClass;
import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Store;
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
    void operationTimeout_defaultsToCommandTimeoutPlusMargin_andFollowsIt() {
        assertThat(RegionalRedisConfig.defaults().operationTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(RegionalRedisConfig.builder().commandTimeout(Duration.ofSeconds(3)).build().operationTimeout())
                .isEqualTo(Duration.ofMillis(3500));
        assertThat(RegionalRedisConfig.builder().operationTimeout(Duration.ofSeconds(4)).build().operationTimeout())
                .isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void operationTimeout_mustBeLongerThanTheCommandTimeout() {
        assertThatThrownBy(() -> RegionalRedisConfig.builder().commandTimeout(Duration.ofSeconds(2))
                .operationTimeout(Duration.ofSeconds(2)).build())
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> {
                    assertThat(e.field()).isEqualTo("redis.operationTimeout");
                    assertThat(e.value()).isEqualTo("PT2S");
                })
                .hasMessage("redis.operationTimeout must be > redis.commandTimeout (PT2S), but was PT2S");
        assertThatThrownBy(() -> RegionalRedisConfig.builder().operationTimeout(Duration.ofMillis(-1)))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("redis.operationTimeout must be > 0, but was PT-0.001S");
        assertThatThrownBy(() -> RegionalRedisConfig.builder().operationTimeout(null))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("redis.operationTimeout must not be null");
    }

    @Test
    void maxReconnectDelay_defaultsToHalfASecond_andIsBounded() {
        assertThat(RegionalRedisConfig.defaults().maxReconnectDelay()).isEqualTo(Duration.ofMillis(500));
        assertThatThrownBy(() -> RegionalRedisConfig.builder().maxReconnectDelay(Duration.ZERO))
                .isInstanceOfSatisfying(InvalidConfigurationException.class,
                        e -> assertThat(e.field()).isEqualTo("redis.maxReconnectDelay"))
                .hasMessage("redis.maxReconnectDelay must be > 0, but was PT0S");
        assertThatThrownBy(() -> RegionalRedisConfig.builder().maxReconnectDelay(Duration.ofMinutes(2)))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("redis.maxReconnectDelay must be <= PT1M, but was PT2M");
    }

    @Test
    void store_defaultsToRedis_andRejectsNull() {
        assertThat(RegionalRedisConfig.defaults().store()).isEqualTo(Store.REDIS);
        assertThat(RegionalRedisConfig.builder().store(Store.of("redis-sessions")).build().store())
                .isEqualTo(Store.of("redis-sessions"));
        assertThatThrownBy(() -> RegionalRedisConfig.builder().store(null))
                .isInstanceOfSatisfying(InvalidConfigurationException.class,
                        e -> assertThat(e.field()).isEqualTo("redis.store"))
                .hasMessage("redis.store must not be null");
    }

    @Test
    void toBuilder_keepsEverySetting() {
        RegionalRedisConfig c = RegionalRedisConfig.builder().commandTimeout(Duration.ofMillis(300))
                .defaultAck(AckPolicy.ALL).compression(true).compressionThreshold(64).instanceId("i-1")
                .regulated("profile:").hedgeDelay(Duration.ofMillis(20)).store(Store.of("redis-b"))
                .maxReconnectDelay(Duration.ofMillis(800)).operationTimeout(Duration.ofMillis(900)).build();
        RegionalRedisConfig copy = c.toBuilder().build();
        assertThat(copy.toString()).isEqualTo(c.toString()).contains("store=redis-b")
                .contains("operationTimeout=PT0.9S").contains("maxReconnectDelay=PT0.8S");
        // a derived operation timeout keeps following the command timeout after toBuilder()
        assertThat(RegionalRedisConfig.defaults().toBuilder().commandTimeout(Duration.ofSeconds(2)).build()
                .operationTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(copy.namespaces()).containsEntry("profile:", DataClass.REGULATED);
    }
}
