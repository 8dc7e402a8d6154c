package io.regionrouter.redis.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionEvent;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.redis.AckPolicy;
import io.regionrouter.redis.RegionalRedis;
import io.regionrouter.redis.RepairCompletedEvent;
import io.regionrouter.redis.RepairReport;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Anti-entropy repair converges regions and never brings a deleted key back. */
class RepairIT extends ThreeRegionsBase {

    @Test
    void regionThatCameBackEmpty_isRepairedByItself_toZeroDivergentKeys_andDeletedKeysStayDeleted() {
        List<RegionEvent> events = new CopyOnWriteArrayList<>();
        RegionRouter router = fixture.router("us");
        RegionalRedis<String> redis = fixture.redis(router, fixture.config().build(), System::currentTimeMillis);
        redis.addListener(events::add);
        for (int i = 0; i < 300; i++) {
            if (i % 3 == 0) {
                redis.set("product:" + i, "v" + i, Duration.ofMinutes(5), AckPolicy.ALL);
            } else {
                redis.set("product:" + i, "v" + i, AckPolicy.ALL);
            }
        }
        for (int i = 0; i < 300; i += 5) {
            redis.delete("product:" + i, AckPolicy.ALL);
        }
        redis.forUser("bob").set("profile:bob", "B", null, AckPolicy.ALL);
        // the instance has seen eu's marker before it restarts empty
        ThreeRegions.awaitTrue(() -> fixture.direct("eu").exists("rr:epoch") == 1, Duration.ofSeconds(5), "marker");
        ThreeRegions.pause(Duration.ofMillis(300));

        SERVERS.region("eu").redis().restart();
        // no check that eu is empty here: the repair may already be refilling it; that it had to
        // (keysRepaired for eu > 0 below) shows that eu came back without the keys
        ThreeRegions.awaitTrue(() -> events.stream().anyMatch(e -> e instanceof RepairCompletedEvent r
                && r.report().complete() && r.report().keysRepaired().get(Region.of("eu")) > 0),
                Duration.ofSeconds(30), "an automatic repair of eu");

        Set<String> keys = Divergence.keys(fixture, ALL);
        assertThat(keys).hasSize(301);
        assertThat(Divergence.divergent(fixture, keys, List.of("us", "ap"))).isEmpty();
        assertThat(Divergence.divergent(fixture, keys, ALL)).as("only bob's profile is not in eu")
                .containsExactly("profile:bob");
        assertThat(fixture.direct("eu").exists("profile:bob")).as("residency: bob's data never goes to eu").isZero();
        for (int i = 0; i < 300; i += 5) {
            assertThat(redis.readFrom("eu", "product:" + i)).as("deleted key " + i + " stays deleted").isEmpty();
            assertThat(fixture.direct("eu").hget("product:" + i, "f")).isEqualTo("1");
        }
        assertThat(redis.readFrom("eu", "product:1")).get().extracting(v -> v.value()).isEqualTo("v1");
        assertThat(fixture.direct("eu").pttl("product:3")).as("the expiry travels with the value").isPositive();
    }

    @Test
    void calledRepair_writesExactlyTheKeysARegionLacks_andLeavesNewerOnesAlone() {
        RegionalRedis<String> redis = fixture.redis("us", fixture.config().repairBatchSize(7).build());
        for (int i = 0; i < 40; i++) {
            redis.set("product:" + i, "v" + i, AckPolicy.ALL);
        }
        for (int i = 0; i < 10; i++) {
            fixture.direct("ap").del("product:" + i);
        }
        redis.forUser("bob").set("profile:bob", "B", null, AckPolicy.ALL);
        fixture.direct("ap").del("profile:bob");
        // a newer write that only ap has: the repair must carry it to the others, not undo it
        RegionalRedis<String> apWriter = fixture.redis("ap", fixture.config().build());
        String newer = "newer";
        apWriter.set("product:20", newer, AckPolicy.ALL);
        fixture.direct("us").del("product:20");

        RepairReport report = redis.repair();

        assertThat(report.complete()).isTrue();
        assertThat(report.keysRepaired()).containsEntry(Region.of("ap"), 11L).containsEntry(Region.of("us"), 1L)
                .containsEntry(Region.of("eu"), 0L);
        assertThat(Divergence.divergent(fixture, Divergence.keys(fixture, ALL), List.of("us", "ap"))).isEmpty();
        assertThat(fixture.direct("ap").hget("profile:bob", "d")).isEqualTo("B");
        assertThat(fixture.direct("eu").exists("profile:bob")).isZero();
        assertThat(fixture.direct("us").hget("product:20", "d")).isEqualTo(newer);
        assertThat(redis.repair().totalRepaired()).as("a second pass finds nothing").isZero();
    }
}
