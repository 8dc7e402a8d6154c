package io.regionrouter.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.TimeoutOptions;
import io.regionrouter.redis.RegionalRedisConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClientOptionsTest {

    @Test
    void clientOptions_areBoundedAndRejectWhileDisconnected() {
        RegionalRedisConfig config = RegionalRedisConfig.builder().commandTimeout(Duration.ofMillis(700))
                .connectTimeout(Duration.ofMillis(900)).requestQueueSize(123).build();
        ClientOptions o = StandaloneRegionConnection.clientOptions(config);
        assertThat(o.getDisconnectedBehavior()).isEqualTo(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
        assertThat(o.getRequestQueueSize()).isEqualTo(123);
        assertThat(o.isAutoReconnect()).isTrue();
        assertThat(o.getSocketOptions().getConnectTimeout()).isEqualTo(Duration.ofMillis(900));
        assertThat(o.getSocketOptions().isKeepAlive()).isTrue();
        assertThat(o.getTimeoutOptions().isTimeoutCommands()).isTrue();
        TimeoutOptions.TimeoutSource source = o.getTimeoutOptions().getSource();
        assertThat(source.getTimeUnit().toMillis(source.getTimeout(null))).isEqualTo(700);
    }
}
