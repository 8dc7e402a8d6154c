package io.regionrouter.redis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.Region;
import io.regionrouter.redis.AckPolicy;
import io.regionrouter.redis.RegionalRedis;
import io.regionrouter.redis.WriteNotAcknowledgedException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RestartIT extends ThreeRegionsBase {

    @Test
    void hintsWrittenBeforeRestart_areReplayedByANewInstance() {
        RegionalRedis<String> before = fixture.redis("us", fixture.config().instanceId("app-1").build());
        SERVERS.region("eu").redis().partition();
        for (int i = 0; i < 20; i++) {
            String key = "product:r" + i;
            assertThatThrownBy(() -> before.set(key, "v", AckPolicy.ALL))
                    .isInstanceOf(WriteNotAcknowledgedException.class);
        }
        assertThat(before.pendingHints("eu")).isEqualTo(20);
        before.close();
        SERVERS.region("eu").redis().heal();
        assertThat(fixture.direct("eu").exists("product:r0")).isZero();

        RegionalRedis<String> after = fixture.redis("us", fixture.config().instanceId("app-2").build());
        ThreeRegions.awaitTrue(() -> after.pendingHints("eu") == 0, Duration.ofSeconds(15), "hints replayed");
        for (int i = 0; i < 20; i++) {
            assertThat(fixture.direct("eu").hget("product:r" + i, "d")).isEqualTo("v");
        }
        assertThat(after.stats().get(Region.of("eu")).hintsReplayed()).isEqualTo(20);
    }

    @Test
    void twoInstancesShareTheHintLog_andEachHintIsReplayedOnce() {
        RegionalRedis<String> a = fixture.redis("us", fixture.config().instanceId("a").build());
        RegionalRedis<String> b = fixture.redis("us", fixture.config().instanceId("b").build());
        SERVERS.region("eu").redis().partition();
        for (int i = 0; i < 30; i++) {
            RegionalRedis<String> w = i % 2 == 0 ? a : b;
            String key = "product:s" + i;
            assertThatThrownBy(() -> w.set(key, "v" + key, AckPolicy.ALL))
                    .isInstanceOf(WriteNotAcknowledgedException.class);
        }
        assertThat(a.pendingHints("eu")).isEqualTo(30);
        SERVERS.region("eu").redis().heal();
        ThreeRegions.awaitTrue(() -> a.pendingHints("eu") == 0, Duration.ofSeconds(15), "hints replayed");
        long replayed = a.stats().get(Region.of("eu")).hintsReplayed() + b.stats().get(Region.of("eu")).hintsReplayed();
        assertThat(replayed).isEqualTo(30);
        for (int i = 0; i < 30; i++) {
            assertThat(fixture.direct("eu").hget("product:s" + i, "d")).isEqualTo("vproduct:s" + i);
        }
    }
}
