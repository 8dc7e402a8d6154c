package io.regionrouter.redis.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionEvent;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.redis.AckPolicy;
import io.regionrouter.redis.HintLogLostEvent;
import io.regionrouter.redis.RegionStats;
import io.regionrouter.redis.RegionalRedis;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The local Redis restarts without persistence while hints wait for a partitioned region: every
 * lost hint is found by its instance's ledger, counted exactly, logged at ERROR and published.
 */
class HintLogLostIT extends ThreeRegionsBase {

    @Test
    void localRedisRestartedWithoutAof_lostHintsAreCountedExactlyLoggedAndPublished_perInstance() {
        List<RegionEvent> events = new CopyOnWriteArrayList<>();
        RegionRouter routerA = fixture.router("us");
        RegionRouter routerB = fixture.router("us");
        RegionalRedis<String> a = fixture.redis(routerA, fixture.config().build(), System::currentTimeMillis);
        RegionalRedis<String> b = fixture.redis(routerB, fixture.config().build(), System::currentTimeMillis);
        a.addListener(events::add);
        b.addListener(events::add);
        SERVERS.region("eu").redis().partition();
        ThreeRegions.awaitState(routerA, "eu", false);
        ThreeRegions.awaitState(routerB, "eu", false);
        for (int i = 0; i < 37; i++) {
            a.set("product:a" + i, "v" + i, AckPolicy.LOCAL);
        }
        for (int i = 0; i < 23; i++) {
            b.set("product:b" + i, "v" + i, AckPolicy.LOCAL);
        }
        assertThat(a.pendingHints("eu")).isEqualTo(60);

        String log;
        try (LogCapture capture = LogCapture.start()) {
            SERVERS.region("us").redis().restart();
            ThreeRegions.awaitTrue(() -> lost(a) == 37 && lost(b) == 23, Duration.ofSeconds(20),
                    "both instances to count their lost hints");
            // a few more rounds: nothing is counted twice
            ThreeRegions.pause(Duration.ofMillis(500));
            log = capture.text();
        }
        for (RegionalRedis<String> r : List.of(a, b)) {
            RegionStats eu = r.stats().get(Region.of("eu"));
            assertThat(eu.hintsAbandoned()).isEqualTo(eu.hintsQueued());
            assertThat(eu.hintsQueued()).as("queued = replayed + dropped + abandoned")
                    .isEqualTo(eu.hintsReplayed() + eu.hintsDropped() + eu.hintsAbandoned());
        }
        assertThat(lost(a)).isEqualTo(37);
        assertThat(lost(b)).isEqualTo(23);
        assertThat(events).filteredOn(e -> e instanceof HintLogLostEvent).extracting(e -> ((HintLogLostEvent) e).lost())
                .containsExactlyInAnyOrder(37L, 23L);
        assertThat(log).contains("ERROR").contains("LOST 37 hints").contains("LOST 23 hints");

        // hints queued after the restart are not taken for lost, and are replayed
        a.set("product:after", "x", AckPolicy.LOCAL);
        SERVERS.region("eu").redis().heal();
        ThreeRegions.awaitTrue(() -> a.pendingHints("eu") == 0, Duration.ofSeconds(15), "the new hint replayed");
        RegionStats eu = a.stats().get(Region.of("eu"));
        assertThat(eu.hintsReplayed()).isEqualTo(1);
        assertThat(eu.hintsQueued()).isEqualTo(eu.hintsReplayed() + eu.hintsDropped() + eu.hintsAbandoned());
        assertThat(fixture.direct("eu").hget("product:after", "d")).isEqualTo("x");
    }

    private static long lost(RegionalRedis<String> r) {
        return r.stats().get(Region.of("eu")).hintsAbandoned();
    }
}
