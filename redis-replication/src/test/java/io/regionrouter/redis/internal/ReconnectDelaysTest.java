package io.regionrouter.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.DefaultClientResources;
import io.regionrouter.redis.RegionalRedisConfig;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReconnectDelaysTest {

    @Test
    void bounded_growsFromOneMillisecondAndNeverExceedsTheMax() {
        Delay delay = ReconnectDelays.bounded(Duration.ofMillis(500));
        assertThat(delay.createDelay(1)).isEqualTo(Duration.ofMillis(1));
        assertThat(delay.createDelay(5)).isEqualTo(Duration.ofMillis(16));
        for (int attempt = 10; attempt < 200; attempt++) {
            assertThat(delay.createDelay(attempt)).isEqualTo(Duration.ofMillis(500));
        }
    }

    @Test
    void ownedResources_useTheBoundedDelayByDefault() throws Exception {
        ClientResources owned = ReconnectDelays.ownedResources(RegionalRedisConfig.DEFAULT_MAX_RECONNECT_DELAY);
        try {
            // Lettuce's own default reaches 30 s after 16 attempts
            assertThat(owned.reconnectDelay().createDelay(30)).isEqualTo(Duration.ofMillis(500));
        } finally {
            owned.shutdown(0, 1, TimeUnit.SECONDS).get();
        }
    }

    @Test
    void sharedResources_getTheBoundedDelay_butAreNeverShutDownThroughTheView() throws Exception {
        ClientResources shared = DefaultClientResources.create();
        try {
            ClientResources view = ReconnectDelays.sharedResources(shared, Duration.ofMillis(700));
            assertThat(shared.reconnectDelay().createDelay(30)).isEqualTo(Duration.ofSeconds(30));
            assertThat(view.reconnectDelay().createDelay(30)).isEqualTo(Duration.ofMillis(700));
            assertThat(view.eventLoopGroupProvider()).isSameAs(shared.eventLoopGroupProvider());
            assertThat(view.timer()).isSameAs(shared.timer());
            view.shutdown().get();
            assertThat(shared.eventExecutorGroup().isShuttingDown()).isFalse();
        } finally {
            shared.shutdown(0, 1, TimeUnit.SECONDS).get();
        }
    }
}
