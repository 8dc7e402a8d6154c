package io.regionrouter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.DataClass;
import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Store;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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
        assertThat(c.instanceId()).as("the configuration carries no writer identity").isNull();
        assertThat(c.namespaces()).as("nothing is GLOBAL unless declared").isEmpty();
        assertThat(c.allowPlaintext()).as("plaintext needs an explicit opt-in").isFalse();
        assertThat(c.hintLogMaxBytes()).isEqualTo(256L * 1024 * 1024);
    }

    @Test
    void maxHintAge_mustBeShorterThanTheTombstoneTtl_checkedAtBuild() {
        assertThat(RegionalRedisConfig.defaults().maxHintAge()).isEqualTo(Duration.ofHours(12));
        assertThat(RegionalRedisConfig.builder().tombstoneTtl(Duration.ofHours(2)).build().maxHintAge())
                .isEqualTo(Duration.ofHours(1));
        assertThatThrownBy(() -> RegionalRedisConfig.builder().tombstoneTtl(Duration.ofHours(2))
                .maxHintAge(Duration.ofHours(2)).build())
                .isInstanceOf(io.regionrouter.core.InvalidConfigurationException.class)
                .hasMessageContaining("redis.maxHintAge must be < redis.tombstoneTtl (PT2H)").hasMessageContaining("PT2H");
        assertThat(RegionalRedisConfig.builder().tombstoneTtl(Duration.ofHours(2)).maxHintAge(Duration.ofMinutes(119))
                .build().toBuilder().build().maxHintAge()).isEqualTo(Duration.ofMinutes(119));
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
                .hasMessage("redis.operationTimeout must be in [PT0.001S, PT5M], but was PT-0.001S");
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
                .hasMessage("redis.maxReconnectDelay must be in [PT0.001S, PT1M], but was PT0S");
        assertThatThrownBy(() -> RegionalRedisConfig.builder().maxReconnectDelay(Duration.ofMinutes(2)))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("redis.maxReconnectDelay must be in [PT0.001S, PT1M], but was PT2M");
    }

    @Test
    @SuppressWarnings("deprecation") // the config's own store setting still works; the builder's wins
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
    @SuppressWarnings("deprecation")
    void toBuilder_keepsEverySetting() {
        RegionalRedisConfig c = RegionalRedisConfig.builder().commandTimeout(Duration.ofMillis(300))
                .defaultAck(AckPolicy.ALL).compression(true).compressionThreshold(64).instanceId("i-1")
                .regulated("profile:").hedgeDelay(Duration.ofMillis(20)).store(Store.of("redis-b"))
                .maxReconnectDelay(Duration.ofMillis(800)).operationTimeout(Duration.ofMillis(900))
                .hintLogMaxBytes(4096).allowPlaintext(true).build();
        RegionalRedisConfig copy = c.toBuilder().build();
        assertThat(copy.toString()).isEqualTo(c.toString()).contains("store=redis-b")
                .contains("operationTimeout=PT0.9S").contains("maxReconnectDelay=PT0.8S")
                .contains("hintLogMaxBytes=4096").contains("allowPlaintext=true");
        assertThat(copy.hintLogMaxBytes()).isEqualTo(4096);
        assertThat(copy.allowPlaintext()).isTrue();
        // a derived operation timeout keeps following the command timeout after toBuilder()
        assertThat(RegionalRedisConfig.defaults().toBuilder().commandTimeout(Duration.ofSeconds(2)).build()
                .operationTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(copy.namespaces()).containsEntry("profile:", DataClass.REGULATED);
    }

    /** Every duration, size and count has a range; each violation names the field, the rule and the value. */
    static Stream<Arguments> badSettings() {
        return Stream.of(
                bad("commandTimeout zero", b -> b.commandTimeout(Duration.ZERO), "redis.commandTimeout",
                        "redis.commandTimeout must be in [PT0.001S, PT1M], but was PT0S"),
                bad("commandTimeout below 1 ms", b -> b.commandTimeout(Duration.ofNanos(500_000)),
                        "redis.commandTimeout", "redis.commandTimeout must be in [PT0.001S, PT1M], but was PT0.0005S"),
                bad("commandTimeout 2 min", b -> b.commandTimeout(Duration.ofMinutes(2)), "redis.commandTimeout",
                        "redis.commandTimeout must be in [PT0.001S, PT1M], but was PT2M"),
                bad("commandTimeout null", b -> b.commandTimeout(null), "redis.commandTimeout",
                        "redis.commandTimeout must not be null"),
                bad("operationTimeout 6 min", b -> b.operationTimeout(Duration.ofMinutes(6)), "redis.operationTimeout",
                        "redis.operationTimeout must be in [PT0.001S, PT5M], but was PT6M"),
                bad("operationTimeout not above commandTimeout",
                        b -> b.commandTimeout(Duration.ofSeconds(2)).operationTimeout(Duration.ofSeconds(1)).build(),
                        "redis.operationTimeout",
                        "redis.operationTimeout must be > redis.commandTimeout (PT2S), but was PT1S"),
                bad("maxReconnectDelay 1 h", b -> b.maxReconnectDelay(Duration.ofHours(1)), "redis.maxReconnectDelay",
                        "redis.maxReconnectDelay must be in [PT0.001S, PT1M], but was PT1H"),
                bad("connectTimeout 1 ns, which Netty would read as none",
                        b -> b.connectTimeout(Duration.ofNanos(1)), "redis.connectTimeout",
                        "redis.connectTimeout must be in [PT0.001S, PT1M], but was PT0.000000001S"),
                bad("connectTimeout 1 h", b -> b.connectTimeout(Duration.ofHours(1)), "redis.connectTimeout",
                        "redis.connectTimeout must be in [PT0.001S, PT1M], but was PT1H"),
                bad("keepAliveIdle 500 ms", b -> b.keepAliveIdle(Duration.ofMillis(500)), "redis.keepAliveIdle",
                        "redis.keepAliveIdle must be in [PT1S, PT2H], but was PT0.5S"),
                bad("keepAliveIdle 3 h", b -> b.keepAliveIdle(Duration.ofHours(3)), "redis.keepAliveIdle",
                        "redis.keepAliveIdle must be in [PT1S, PT2H], but was PT3H"),
                bad("requestQueueSize 0", b -> b.requestQueueSize(0), "redis.requestQueueSize",
                        "redis.requestQueueSize must be in [1, 1000000], but was 0"),
                bad("requestQueueSize unbounded", b -> b.requestQueueSize(Integer.MAX_VALUE),
                        "redis.requestQueueSize", "redis.requestQueueSize must be in [1, 1000000], but was 2147483647"),
                bad("tombstoneTtl 500 ms", b -> b.tombstoneTtl(Duration.ofMillis(500)), "redis.tombstoneTtl",
                        "redis.tombstoneTtl must be in [PT1S, PT2160H], but was PT0.5S"),
                bad("tombstoneTtl a year", b -> b.tombstoneTtl(Duration.ofDays(365)), "redis.tombstoneTtl",
                        "redis.tombstoneTtl must be in [PT1S, PT2160H], but was PT8760H"),
                bad("tombstoneTtl overflowing epoch millis", b -> b.tombstoneTtl(Duration.ofSeconds(Long.MAX_VALUE)),
                        "redis.tombstoneTtl",
                        "redis.tombstoneTtl must be in [PT1S, PT2160H], but was PT2562047788015215H30M7S"),
                bad("tombstoneTtl not above replayInterval",
                        b -> b.replayInterval(Duration.ofSeconds(2)).tombstoneTtl(Duration.ofSeconds(2)).build(),
                        "redis.tombstoneTtl", "redis.tombstoneTtl must be > redis.replayInterval (PT2S), but was PT2S"),
                bad("hintLogMaxLength 0", b -> b.hintLogMaxLength(0), "redis.hintLogMaxLength",
                        "redis.hintLogMaxLength must be in [1, 100000000], but was 0"),
                bad("hintLogMaxLength Long.MAX_VALUE", b -> b.hintLogMaxLength(Long.MAX_VALUE),
                        "redis.hintLogMaxLength",
                        "redis.hintLogMaxLength must be in [1, 100000000], but was 9223372036854775807"),
                bad("hintLogMaxBytes 100", b -> b.hintLogMaxBytes(100), "redis.hintLogMaxBytes",
                        "redis.hintLogMaxBytes must be in [1024, 68719476736], but was 100"),
                bad("hintLogMaxBytes 1 TiB", b -> b.hintLogMaxBytes(1L << 40), "redis.hintLogMaxBytes",
                        "redis.hintLogMaxBytes must be in [1024, 68719476736], but was 1099511627776"),
                bad("replayBatchSize 0", b -> b.replayBatchSize(0), "redis.replayBatchSize",
                        "redis.replayBatchSize must be in [1, 10000], but was 0"),
                bad("replayBatchSize 20000", b -> b.replayBatchSize(20_000), "redis.replayBatchSize",
                        "redis.replayBatchSize must be in [1, 10000], but was 20000"),
                bad("replayInterval 1 ms", b -> b.replayInterval(Duration.ofMillis(1)), "redis.replayInterval",
                        "redis.replayInterval must be in [PT0.01S, PT1H], but was PT0.001S"),
                bad("replayInterval 2 h", b -> b.replayInterval(Duration.ofHours(2)), "redis.replayInterval",
                        "redis.replayInterval must be in [PT0.01S, PT1H], but was PT2H"),
                bad("replayClaimIdle 2 h", b -> b.replayClaimIdle(Duration.ofHours(2)), "redis.replayClaimIdle",
                        "redis.replayClaimIdle must be in [PT0.001S, PT1H], but was PT2H"),
                bad("replayClaimIdle not above commandTimeout",
                        b -> b.replayClaimIdle(Duration.ofMillis(900)).build(), "redis.replayClaimIdle",
                        "redis.replayClaimIdle must be > redis.commandTimeout (PT1S), but was PT0.9S"),
                bad("maxHintAge zero", b -> b.maxHintAge(Duration.ZERO), "redis.maxHintAge",
                        "redis.maxHintAge must be in [PT0.001S, PT2160H], but was PT0S"),
                bad("maxHintAge not below tombstoneTtl", b -> b.maxHintAge(Duration.ofHours(24)).build(),
                        "redis.maxHintAge", "redis.maxHintAge must be < redis.tombstoneTtl (PT24H), or a replayed hint"
                                + " could outlive the tombstone that supersedes it, but was PT24H"),
                bad("repairRate 0", b -> b.repairRate(0), "redis.repairRate",
                        "redis.repairRate must be in [1, 1000000], but was 0"),
                bad("repairBatchSize 20000", b -> b.repairBatchSize(20_000), "redis.repairBatchSize",
                        "redis.repairBatchSize must be in [1, 10000], but was 20000"),
                bad("maxClockOffset 2 h", b -> b.maxClockOffset(Duration.ofHours(2)), "redis.maxClockOffset",
                        "redis.maxClockOffset must be in [PT0.001S, PT1H], but was PT2H"),
                bad("hedgeDelay zero", b -> b.hedgeDelay(Duration.ZERO), "redis.hedgeDelay",
                        "redis.hedgeDelay must be in [PT0.001S, PT1M], but was PT0S"),
                bad("hedgeDelay not below commandTimeout", b -> b.hedgeDelay(Duration.ofSeconds(1)).build(),
                        "redis.hedgeDelay", "redis.hedgeDelay must be < redis.commandTimeout (PT1S), but was PT1S"),
                bad("compressionThreshold 0", b -> b.compressionThreshold(0), "redis.compressionThreshold",
                        "redis.compressionThreshold must be in [1, 536870912], but was 0"),
                bad("compressionThreshold 2 GiB", b -> b.compressionThreshold(Integer.MAX_VALUE),
                        "redis.compressionThreshold",
                        "redis.compressionThreshold must be in [1, 536870912], but was 2147483647"),
                bad("transferPricePerGb negative", b -> b.transferPricePerGb(-1), "redis.transferPricePerGb",
                        "redis.transferPricePerGb must be finite and >= 0, but was -1.0"),
                bad("transferPricePerGb infinite", b -> b.transferPricePerGb(Double.POSITIVE_INFINITY),
                        "redis.transferPricePerGb", "redis.transferPricePerGb must be finite and >= 0, but was Infinity"),
                bad("keyPrefix empty", b -> b.keyPrefix(""), "redis.keyPrefix",
                        "redis.keyPrefix must be 1 to 64 characters without whitespace or braces, but was \"\""),
                bad("keyPrefix 65 characters", b -> b.keyPrefix("p".repeat(65)), "redis.keyPrefix",
                        "redis.keyPrefix must be 1 to 64 characters without whitespace or braces, but was \""
                                + "p".repeat(65) + "\""),
                bad("instanceId with a slash", b -> b.instanceId("a/b"), "redis.instanceId",
                        "redis.instanceId must match [A-Za-z0-9._-]{1,64}, but was \"a/b\""),
                bad("namespace empty", b -> b.global(""), "redis.namespace.prefix",
                        "redis.namespace.prefix must be 1 to 256 characters, but was \"\""),
                bad("namespace 257 characters", b -> b.regulated("n".repeat(257)), "redis.namespace.prefix",
                        "redis.namespace.prefix must be 1 to 256 characters, but was \"" + "n".repeat(257) + "\""),
                bad("namespace both REGULATED and GLOBAL", b -> b.regulated("user:").global("user:"),
                        "redis.namespace.prefix",
                        "redis.namespace.prefix must be declared once, but is both REGULATED and GLOBAL, but was \"user:\""),
                bad("1001 namespaces", b -> {
                    for (int i = 0; i <= RegionalRedisConfig.MAX_NAMESPACES; i++) {
                        b.global("ns" + i + ":");
                    }
                }, "redis.namespaces", "redis.namespaces must be at most 1000, but was 1001"),
                bad("GLOBAL namespace under the library's prefix", b -> b.global("rr:hints").build(),
                        "redis.namespace.prefix", "redis.namespace.prefix must not lie under redis.keyPrefix (\"rr:\"),"
                                + " whose keys belong to the library, but was \"rr:hints\""),
                bad("namespace under a custom library prefix", b -> b.keyPrefix("app:").regulated("app:x").build(),
                        "redis.namespace.prefix", "redis.namespace.prefix must not lie under redis.keyPrefix"
                                + " (\"app:\"), whose keys belong to the library, but was \"app:x\""),
                bad("store null", b -> b.store(null), "redis.store", "redis.store must not be null"),
                bad("defaultAck null", b -> b.defaultAck(null), "redis.defaultAck", "redis.defaultAck must not be null"));
    }

    private static Arguments bad(String name, Consumer<RegionalRedisConfig.Builder> setting, String field,
            String message) {
        return Arguments.of(name, setting, field, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSettings")
    void badSetting_failsNamingFieldRuleAndValue(String name, Consumer<RegionalRedisConfig.Builder> setting,
            String field, String message) {
        assertThatThrownBy(() -> setting.accept(RegionalRedisConfig.builder()))
                .isInstanceOfSatisfying(InvalidConfigurationException.class,
                        e -> assertThat(e.field()).isEqualTo(field))
                .hasMessage(message);
    }

    @Test
    void everyBound_isItselfAccepted() {
        RegionalRedisConfig low = RegionalRedisConfig.builder().commandTimeout(Duration.ofMillis(1))
                .connectTimeout(Duration.ofMillis(1)).maxReconnectDelay(Duration.ofMillis(1))
                .keepAliveIdle(Duration.ofSeconds(1)).requestQueueSize(1).hintLogMaxLength(1)
                .hintLogMaxBytes(1024).replayBatchSize(1).replayInterval(Duration.ofMillis(10))
                .replayClaimIdle(Duration.ofMillis(2)).tombstoneTtl(Duration.ofSeconds(1)).compressionThreshold(1)
                .operationTimeout(Duration.ofMillis(2)).build();
        assertThat(low.hintLogMaxBytes()).isEqualTo(1024);
        RegionalRedisConfig high = RegionalRedisConfig.builder().commandTimeout(Duration.ofMinutes(1))
                .connectTimeout(Duration.ofMinutes(1)).maxReconnectDelay(Duration.ofMinutes(1))
                .keepAliveIdle(Duration.ofHours(2)).requestQueueSize(1_000_000).hintLogMaxLength(100_000_000)
                .hintLogMaxBytes(64L << 30).replayBatchSize(10_000).replayInterval(Duration.ofHours(1))
                .replayClaimIdle(Duration.ofHours(1)).tombstoneTtl(Duration.ofDays(90))
                .compressionThreshold(512 << 20).operationTimeout(Duration.ofMinutes(5))
                .hedgeDelay(Duration.ofSeconds(59)).build();
        assertThat(high.operationTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(RegionalRedisConfig.builder().commandTimeout(Duration.ofMinutes(1))
                .replayClaimIdle(Duration.ofMinutes(2)).build().operationTimeout())
                .as("the derived operation timeout stays within its own bound")
                .isLessThanOrEqualTo(RegionalRedisConfig.MAX_OPERATION_TIMEOUT);
    }
}
