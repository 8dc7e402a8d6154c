package io.regionrouter.jdbc;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Topology;
import io.regionrouter.jdbc.replication.ReplicationMonitor;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every size, count and duration has a range; a value outside fails at build, naming the field and the value. */
class SettingBoundsTest {

    private static final Topology TOPOLOGY = Topology.builder().regions("us", "eu").local("eu").primary("us").build();
    private static final Duration HUGE = Duration.ofSeconds(3_000_000_000L);

    static Stream<Arguments> badSettings() {
        return Stream.of(
                bad("queryTimeout", () -> JdbcRegionDirectory.builder(TOPOLOGY).queryTimeout(HUGE),
                        "queryTimeout must be in [1 ms, 600000 ms], but was 3000000000000 ms"),
                bad("queryTimeout", () -> JdbcRegionDirectory.builder(TOPOLOGY).queryTimeout(Duration.ZERO),
                        "queryTimeout must be in [1 ms, 600000 ms], but was 0 ms"),
                bad("pool.maximumPoolSize", () -> RegionPoolConfig.builder().maximumPoolSize(Integer.MAX_VALUE),
                        "pool.maximumPoolSize must be in [1, 1000], but was 2147483647"),
                bad("pool.maximumPoolSize", () -> RegionPoolConfig.builder().maximumPoolSize(0),
                        "pool.maximumPoolSize must be in [1, 1000], but was 0"),
                bad("pool.minimumIdle", () -> RegionPoolConfig.builder().minimumIdle(5000),
                        "pool.minimumIdle must be in [0, 1000], but was 5000"),
                bad("pool.connectionTimeout", () -> RegionPoolConfig.builder().connectionTimeout(HUGE),
                        "pool.connectionTimeout must be in [250 ms, 600000 ms], but was 3000000000000 ms"),
                bad("pool.validationTimeout", () -> RegionPoolConfig.builder().validationTimeout(Duration.ofHours(1)),
                        "pool.validationTimeout must be in [250 ms, 60000 ms], but was 3600000 ms"),
                bad("pool.idleTimeout", () -> RegionPoolConfig.builder().idleTimeout(Duration.ofDays(2)),
                        "pool.idleTimeout must be in [10000 ms, 86400000 ms], but was 172800000 ms"),
                bad("pool.maxLifetime", () -> RegionPoolConfig.builder().maxLifetime(Duration.ofDays(30)),
                        "pool.maxLifetime must be in [30000 ms, 604800000 ms], but was 2592000000 ms"),
                bad("pool.connectionTimeout", () -> RegionPoolConfig.builder().connectionTimeout(Duration.ofSeconds(Long.MAX_VALUE)),
                        "pool.connectionTimeout must be in [250 ms, 600000 ms], but was PT2562047788015215H30M7S"),
                bad("replicaReads.maxLag", () -> ReplicaReadConfig.builder().maxLag(Duration.ofDays(1)),
                        "replicaReads.maxLag must be in [0 ms, 3600000 ms], but was 86400000 ms"),
                bad("replicaReads.probeTimeout", () -> ReplicaReadConfig.builder().probeTimeout(HUGE),
                        "replicaReads.probeTimeout must be in [1000 ms, 600000 ms], but was 3000000000000 ms"),
                bad("replicaReads.readYourWritesCapacity", () -> ReplicaReadConfig.builder().readYourWritesCapacity(Long.MAX_VALUE),
                        "replicaReads.readYourWritesCapacity must be in [1, 10000000], but was 9223372036854775807"),
                bad("replicaReads.readYourWritesExpiry", () -> ReplicaReadConfig.builder().readYourWritesExpiry(HUGE),
                        "replicaReads.readYourWritesExpiry must be in [1000 ms, 604800000 ms], but was 3000000000000 ms"),
                bad("monitor.interval", () -> ReplicationMonitor.builder().interval(Duration.ofDays(1)),
                        "monitor.interval must be in [100 ms, 3600000 ms], but was 86400000 ms"),
                bad("monitor.queryTimeout", () -> ReplicationMonitor.builder().queryTimeout(HUGE),
                        "monitor.queryTimeout must be in [1000 ms, 600000 ms], but was 3000000000000 ms"),
                bad("monitor.slotRetentionThreshold", () -> ReplicationMonitor.builder().slotRetentionThreshold(Long.MAX_VALUE),
                        "monitor.slotRetentionThreshold must be in [1, 1099511627776], but was 9223372036854775807"),
                bad("monitor.brokenAfter", () -> ReplicationMonitor.builder().brokenAfter(Duration.ofDays(2)),
                        "monitor.brokenAfter must be in [0 ms, 86400000 ms], but was 172800000 ms"));
    }

    private static Arguments bad(String field, Runnable setting, String message) {
        return Arguments.of(field, setting, message);
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("badSettings")
    void outOfRange_failsNamingFieldAndValue(String field, Runnable setting, String message) {
        var thrown = assertThatThrownBy(setting::run).isInstanceOfSatisfying(InvalidConfigurationException.class,
                e -> org.assertj.core.api.Assertions.assertThat(e.field()).isEqualTo(field));
        if (message != null) {
            thrown.hasMessage(message);
        }
    }
}
