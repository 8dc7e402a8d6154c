package io.regionrouter.redis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.regionrouter.core.HealthConfig;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.RegionUnavailableException;
import io.regionrouter.redis.AckPolicy;
import io.regionrouter.redis.RegionalRedis;
import io.regionrouter.redis.RegionalRedisConfig;
import io.regionrouter.redis.Versioned;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReadFallbackIT extends ThreeRegionsBase {

    @Test
    void localKilled_nextRegionByProximityServesReads() {
        RegionalRedis<String> redis = fixture.redis("us", fixture.config().build());
        redis.set("product:r", "value", AckPolicy.ALL);
        SERVERS.region("us").redis().kill();
        // us's proximity order is ap, then eu
        assertThat(redis.getVersioned("product:r")).get().satisfies(v -> {
            assertThat(v.value()).isEqualTo("value");
            assertThat(v.servedBy()).isEqualTo(Region.of("ap"));
        });
        SERVERS.region("ap").redis().kill();
        assertThat(redis.getVersioned("product:r")).get()
                .extracting(Versioned::servedBy).isEqualTo(Region.of("eu"));
    }

    /**
     * Every timeout of the instance runs on a {@link ManualTimer} that never moves: a read sent into
     * the frozen us could only end by a timeout, so it would never answer and the call would give up.
     */
    @Test
    void frozenRegion_onceDown_noReadPaysTheCommandTimeout() {
        ManualTimer timer = new ManualTimer();
        ClientResources resources = DefaultClientResources.builder().timer(timer).build();
        try {
            RegionRouter router = fixture.router("us");
            RegionalRedis<String> redis = fixture.redis(router, fixture.config().build(), resources);
            redis.set("product:f", "value", AckPolicy.ALL);
            SERVERS.region("us").redis().partition();
            ThreeRegions.awaitState(router, "us", false);

            for (int i = 0; i < 50; i++) {
                Versioned<String> v = redis.getVersioned("product:f").orElseThrow();
                assertThat(v.servedBy()).isEqualTo(Region.of("ap"));
            }
        } finally {
            fixture.closeInstances();
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    /**
     * A far region (40 ms one way), the library's default health and command timeouts: each cycle
     * freezes ap until it is DOWN, heals it, and requires it UP again and its hints replayed.
     */
    @Test
    void partitionAndHeal_repeatedly_regionComesBackUpAndItsHintsAreReplayedEveryTime() {
        RegionRouter router = fixture.router("us", HealthConfig.defaults());
        RegionalRedis<String> redis = fixture.redis(router, RegionalRedisConfig.builder().regulated("profile:")
                .global("product:").allowPlaintext(true).replayInterval(Duration.ofMillis(100)).build(),
                System::currentTimeMillis);
        SERVERS.region("ap").redis().delay(Duration.ofMillis(40));
        for (int cycle = 0; cycle < 4; cycle++) {
            String key = "product:cycle-" + cycle;
            SERVERS.region("ap").redis().partition();
            ThreeRegions.awaitState(router, "ap", false);
            redis.set(key, "v" + cycle, AckPolicy.LOCAL);
            // ack LOCAL answers before the hint for ap is appended
            ThreeRegions.awaitTrue(() -> redis.pendingHints("ap") == 1, Duration.ofSeconds(5),
                    "cycle " + cycle + ": the write ap missed is in the hint log");

            SERVERS.region("ap").redis().heal();
            ThreeRegions.awaitState(router, "ap", true);
            ThreeRegions.awaitTrue(() -> redis.pendingHints("ap") == 0, Duration.ofSeconds(10),
                    "cycle " + cycle + ": hints for ap replayed");
            assertThat(redis.readFrom("ap", key)).as("cycle %d", cycle).get().extracting(Versioned::value).isEqualTo("v" + cycle);
        }
    }

    @Test
    void hedgedRead_isAnsweredByTheNextRegionWhenLocalIsSlow() {
        RegionalRedis<String> redis = fixture.redis("us", fixture.config().hedgeDelay(Duration.ofMillis(30)).build());
        redis.set("product:h", "value", AckPolicy.ALL);
        SERVERS.region("us").redis().delay(Duration.ofMillis(200));
        assertThat(redis.getVersioned("product:h")).get()
                .extracting(Versioned::servedBy).isEqualTo(Region.of("ap"));
    }

    @Test
    void regulatedRead_neverFallsBackOutsideAllowedRegions() {
        RegionRouter router = fixture.router("us");
        RegionalRedis<String> redis = fixture.redis(router, fixture.config().build(), System::currentTimeMillis);
        redis.forUser("alice").set("profile:alice", "A", null, AckPolicy.ALL);
        SERVERS.region("eu").redis().partition();
        ThreeRegions.awaitState(router, "eu", false);
        assertThatThrownBy(() -> redis.forUser("alice").get("profile:alice"))
                .isInstanceOfSatisfying(RegionUnavailableException.class,
                        e -> assertThat(e.tried()).containsExactly(Region.of("eu")));
    }
}
