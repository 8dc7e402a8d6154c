package io.regionrouter.redis.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.redis.AckPolicy;
import io.regionrouter.redis.RegionStats;
import io.regionrouter.redis.RegionalRedis;
import io.regionrouter.redis.Version;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Expiry never brings an older value back, and hints older than the maximum hint age are not replayed. */
class ExpiryRetentionIT extends ThreeRegionsBase {

    @Test
    void olderHintReplayedAfterANewerValueExpired_isRefused_andNothingComesBack() {
        RegionRouter router = fixture.router("us");
        RegionalRedis<String> first = fixture.redis(router, fixture.config().build(), System::currentTimeMillis);
        SERVERS.region("eu").redis().partition();
        ThreeRegions.awaitState(router, "eu", false);
        first.set("product:exp", "old", AckPolicy.LOCAL);
        assertThat(first.pendingHints("eu")).isEqualTo(1);
        first.close(); // its hint stays in us's log until another instance in us replays it
        SERVERS.region("eu").redis().heal();

        RegionRouter apRouter = fixture.router("ap");
        RegionalRedis<String> ap = fixture.redis(apRouter, fixture.config().build(), System::currentTimeMillis);
        ThreeRegions.awaitState(apRouter, "eu", true);
        Version newer = ap.set("product:exp", "new", Duration.ofMillis(300), AckPolicy.ALL);
        ThreeRegions.awaitTrue(() -> ap.readFrom("eu", "product:exp").isEmpty(), Duration.ofSeconds(5),
                "the newer value to expire in eu");

        RegionalRedis<String> replayer = fixture.redis("us", fixture.config().build());
        ThreeRegions.awaitTrue(() -> replayer.pendingHints("eu") == 0, Duration.ofSeconds(15), "the old hint replayed");
        for (String region : ALL) {
            assertThat(replayer.readFrom(region, "product:exp")).as("no value in " + region).isEmpty();
            assertThat(fixture.direct(region).hget("product:exp", "v")).as("the newer version is kept in " + region)
                    .isEqualTo(String.format("%016x", newer.timestamp()));
            assertThat(fixture.direct(region).pttl("product:exp")).as("kept until the retention ends").isPositive();
        }
        assertThat(replayer.get("product:exp")).isNull();
        assertThat(replayer.stats().get(Region.of("eu")).hintsReplayed()).isEqualTo(1);
    }

    @Test
    void hintsOlderThanTheMaximumHintAge_areNotReplayed_butCountedAsAbandoned() {
        RegionRouter router = fixture.router("us");
        RegionalRedis<String> redis = fixture.redis(router, fixture.config().tombstoneTtl(Duration.ofSeconds(20))
                .maxHintAge(Duration.ofMillis(800)).build(), System::currentTimeMillis);
        SERVERS.region("eu").redis().partition();
        ThreeRegions.awaitState(router, "eu", false);
        for (int i = 0; i < 5; i++) {
            redis.set("product:aged" + i, "v", AckPolicy.LOCAL);
        }
        assertThat(redis.pendingHints("eu")).isEqualTo(5);
        ThreeRegions.pause(Duration.ofMillis(1200));
        SERVERS.region("eu").redis().heal();
        ThreeRegions.awaitTrue(() -> redis.pendingHints("eu") == 0, Duration.ofSeconds(15), "the aged hints removed");
        RegionStats eu = redis.stats().get(Region.of("eu"));
        assertThat(eu.hintsAbandoned()).isEqualTo(5);
        assertThat(eu.hintsReplayed()).isZero();
        assertThat(eu.hintsQueued()).isEqualTo(eu.hintsReplayed() + eu.hintsDropped() + eu.hintsAbandoned());
        // the repair they started carries the writes instead
        ThreeRegions.awaitTrue(() -> fixture.direct("eu").exists("product:aged4") == 1, Duration.ofSeconds(20),
                "the repair to bring the aged writes");
        for (int i = 0; i < 5; i++) {
            assertThat(fixture.direct("eu").hget("product:aged" + i, "d")).isEqualTo("v");
        }
    }
}
