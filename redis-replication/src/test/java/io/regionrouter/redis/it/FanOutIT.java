package io.regionrouter.redis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionEvent;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.redis.AckPolicy;
import io.regionrouter.redis.HintLogUnavailableException;
import io.regionrouter.redis.HintQueuedEvent;
import io.regionrouter.redis.HintsReplayedEvent;
import io.regionrouter.redis.RegionStats;
import io.regionrouter.redis.RegionalRedis;
import io.regionrouter.redis.Version;
import io.regionrouter.redis.Versioned;
import io.regionrouter.redis.WriteNotAcknowledgedException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FanOutIT extends ThreeRegionsBase {

    private static Map<String, String> storedHash(String region, String key) {
        return fixture.direct(region).hgetall(key);
    }

    @ParameterizedTest
    @EnumSource(AckPolicy.class)
    void set_reachesEveryRegionUnderEachAckPolicy(AckPolicy ack) {
        RegionalRedis<String> redis = fixture.redis("us", fixture.config().build());
        Version v = redis.set("product:1", "{\"name\":\"lamp\"}", ack);
        ThreeRegions.awaitTrue(() -> List.of("us", "eu", "ap").stream()
                .allMatch(r -> "{\"name\":\"lamp\"}".equals(storedHash(r, "product:1").get("d"))),
                Duration.ofSeconds(5), "value in every region");
        for (String r : List.of("us", "eu", "ap")) {
            assertThat(storedHash(r, "product:1")).containsEntry("w", redis.writerId());
        }
        assertThat(redis.getVersioned("product:1")).get().satisfies(x -> {
            assertThat(x.value()).isEqualTo("{\"name\":\"lamp\"}");
            assertThat(x.version()).isEqualTo(v);
            assertThat(x.servedBy()).isEqualTo(Region.of("us"));
        });
        assertThat(redis.get("product:1")).isEqualTo("{\"name\":\"lamp\"}");
    }

    @Test
    void ackAll_withPartitionedRegion_failsNamingIt_andValueArrivesAfterHeal() {
        List<RegionEvent> events = new CopyOnWriteArrayList<>();
        RegionRouter router = fixture.router("us");
        RegionalRedis<String> redis = fixture.redis(router, fixture.config().build(), System::currentTimeMillis);
        redis.addListener(events::add);
        List<HintQueuedEvent> queued = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<HintsReplayedEvent> replayedOnly = new java.util.concurrent.CopyOnWriteArrayList<>();
        redis.eventPublisher().onHintQueued(queued::add).onHintsReplayed(replayedOnly::add);
        SERVERS.region("eu").redis().partition();

        assertThatThrownBy(() -> redis.set("product:2", "v2", AckPolicy.ALL))
                .isInstanceOfSatisfying(WriteNotAcknowledgedException.class, e -> {
                    assertThat(e.failedRegions()).containsExactly(Region.of("eu"));
                    assertThat(e.hintedRegions()).containsExactly(Region.of("eu"));
                    assertThat(e.getMessage()).contains("ack ALL").contains("[eu]").contains("replayed");
                });
        assertThat(storedHash("us", "product:2")).containsEntry("d", "v2");
        assertThat(storedHash("ap", "product:2")).containsEntry("d", "v2");
        assertThat(storedHash("eu", "product:2")).isEmpty();
        assertThat(redis.pendingHints("eu")).isEqualTo(1);
        assertThat(events).anyMatch(e -> e instanceof HintQueuedEvent q && q.target().id().equals("eu"));
        assertThat(queued).as("the typed subscription").singleElement().satisfies(q -> assertThat(q.target().id()).isEqualTo("eu"));
        assertThat(replayedOnly).as("nothing replayed yet").isEmpty();

        SERVERS.region("eu").redis().heal();
        ThreeRegions.awaitTrue(() -> "v2".equals(storedHash("eu", "product:2").get("d")), Duration.ofSeconds(10),
                "hint replayed to eu");
        ThreeRegions.awaitTrue(() -> redis.pendingHints("eu") == 0, Duration.ofSeconds(5), "hint log drained");
        assertThat(storedHash("eu", "product:2")).isEqualTo(storedHash("us", "product:2"));
        assertThat(events).anyMatch(e -> e instanceof HintsReplayedEvent r && r.target().id().equals("eu"));
        assertThat(redis.stats().get(Region.of("eu")).hintsReplayed()).isEqualTo(1);
    }

    @Test
    void quorum_withOneRegionPartitioned_succeeds_andDownRegionIsNotTried() {
        RegionRouter router = fixture.router("us");
        RegionalRedis<String> redis = fixture.redis(router, fixture.config().build(), System::currentTimeMillis);
        SERVERS.region("eu").redis().partition();
        ThreeRegions.awaitState(router, "eu", false);

        Version v = redis.set("product:3", "v3", AckPolicy.QUORUM);
        assertThat(redis.getVersioned("product:3").map(Versioned::version)).as("the write was applied, at that version").contains(v);
        assertThatThrownBy(() -> redis.set("product:3b", "x", AckPolicy.ALL))
                .isInstanceOf(WriteNotAcknowledgedException.class)
                .hasMessageContaining("eu: RegionUnavailableException region eu is DOWN; not tried");
        assertThat(redis.pendingHints("eu")).isEqualTo(2);
        // no write paid the command timeout: nothing was sent to eu, both writes failed there at once
        RegionStats eu = redis.stats().get(Region.of("eu"));
        assertThat(eu.writesFailed()).as("writes eu missed").isEqualTo(2);
        assertThat(eu.rawBytes()).as("bytes sent to eu").isZero();
    }

    @Test
    void regulatedKey_isWrittenOnlyToAllowedRegions() {
        RegionalRedis<String> redis = fixture.redis("us", fixture.config().build());
        redis.forUser("alice").set("profile:alice", "A", null, AckPolicy.ALL);
        redis.forUser("bob").set("profile:bob", "B", null, AckPolicy.ALL);
        assertThat(storedHash("eu", "profile:alice")).containsEntry("d", "A");
        assertThat(storedHash("us", "profile:alice")).isEmpty();
        assertThat(storedHash("ap", "profile:alice")).isEmpty();
        assertThat(storedHash("us", "profile:bob")).containsEntry("d", "B");
        assertThat(storedHash("ap", "profile:bob")).containsEntry("d", "B");
        assertThat(storedHash("eu", "profile:bob")).isEmpty();
        // alice's data is read from eu even though the instance is in us
        assertThat(redis.forUser("alice").getVersioned("profile:alice")).get()
                .extracting(Versioned::servedBy).isEqualTo(Region.of("eu"));
        assertThatThrownBy(() -> redis.set("profile:alice", "no user"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("REGULATED");
    }

    @Test
    void regulatedKey_missedByItsOnlyAllowedRegion_isNeverHintedOutsideIt_andTheCallerIsTold() {
        RegionRouter router = fixture.router("us");
        RegionalRedis<String> redis = fixture.redis(router, fixture.config().build(), System::currentTimeMillis);
        SERVERS.region("eu").redis().partition();
        ThreeRegions.awaitState(router, "eu", false);

        // alice lives in eu and her data may only be held in eu; this instance runs in us
        assertThatThrownBy(() -> redis.forUser("alice").set("profile:alice", "A2", null, AckPolicy.LOCAL))
                .isInstanceOfSatisfying(WriteNotAcknowledgedException.class, e -> {
                    assertThat(e.failedRegions()).containsExactly(Region.of("eu"));
                    assertThat(e.unhintedRegions()).containsExactly(Region.of("eu"));
                    assertThat(e.hintedRegions()).isEmpty();
                });
        assertThat(redis.pendingHints("eu")).as("no copy of eu data in us's hint log").isZero();
        assertThat(storedHash("us", "profile:alice")).isEmpty();
        assertThat(storedHash("ap", "profile:alice")).isEmpty();
    }

    @Test
    void undecodableHint_isDroppedButCountedAsLost_andDoesNotBlockTheLog() {
        RegionalRedis<String> redis = fixture.redis("us", fixture.config().build());
        String stream = "rr:hints:{ap}:log:" + redis.writerId().substring(3);
        fixture.direct("us").xadd(stream, Map.of("garbage", "x"));
        ThreeRegions.awaitTrue(() -> fixture.direct("us").xlen(stream) == 0, Duration.ofSeconds(10),
                "the unreadable hint is taken off the log");
        assertThat(redis.stats().get(Region.of("ap")).hintsLost()).as("never dropped silently").isEqualTo(1);
    }

    @Test
    void localRegionDown_writeFailsLoudlyAndNothingIsWritten() {
        RegionRouter router = fixture.router("us");
        RegionalRedis<String> redis = fixture.redis(router, fixture.config().build(), System::currentTimeMillis);
        SERVERS.region("us").redis().partition();
        ThreeRegions.awaitState(router, "us", false);
        assertThatThrownBy(() -> redis.set("product:4", "v4", AckPolicy.QUORUM))
                .isInstanceOf(HintLogUnavailableException.class)
                .hasMessageContaining("hint log in local region us is unavailable");
        assertThat(storedHash("eu", "product:4")).isEmpty();
        assertThat(storedHash("ap", "product:4")).isEmpty();
    }

    @Test
    void compression_shrinksLargeValuesAndCountsBytes() {
        RegionalRedis<String> redis = fixture.redis("us", fixture.config().compression(true)
                .compressionThreshold(256).transferPricePerGb(0.02).build());
        String json = "{\"items\":[" + "{\"sku\":\"ABC-123\",\"qty\":1,\"price\":9.99},".repeat(200) + "{}]}";
        redis.set("product:big", json, AckPolicy.ALL);
        redis.set("product:small", "{}", AckPolicy.ALL);
        assertThat(fixture.direct("eu").hget("product:big", "f")).isEqualTo("2");
        assertThat(fixture.direct("eu").hget("product:small", "f")).isEqualTo("0");
        assertThat(redis.get("product:big")).isEqualTo(json);
        var eu = redis.stats().get(Region.of("eu"));
        assertThat(eu.rawBytes()).isEqualTo(json.length() + 2);
        assertThat(eu.sentBytes()).isLessThan(eu.rawBytes() / 5);
        assertThat(eu.crossRegion()).isTrue();
        assertThat(eu.estimatedTransferCost()).isPositive();
        assertThat(redis.stats().get(Region.of("us")).estimatedTransferCost()).isZero();
        assertThat(redis.estimatedTransferCost()).isEqualTo(eu.estimatedTransferCost()
                + redis.stats().get(Region.of("ap")).estimatedTransferCost());
    }

    @Test
    void badInput_getsClearErrors() {
        RegionalRedis<String> redis = fixture.redis("us", fixture.config().build());
        assertThatThrownBy(() -> redis.set(null, "v")).isInstanceOf(NullPointerException.class)
                .hasMessage("key must not be null");
        assertThatThrownBy(() -> redis.set("k", null)).isInstanceOf(NullPointerException.class)
                .hasMessage("value must not be null");
        assertThatThrownBy(() -> redis.set("", "v")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key must not be empty");
        assertThatThrownBy(() -> redis.set("k", "v", Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("ttl must be >= 1 ms, but was PT-1S");
        assertThatThrownBy(() -> redis.get(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> redis.readFrom("mars", "k")).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("mars");
        assertThatThrownBy(() -> redis.pendingHints("mars")).isInstanceOf(InvalidConfigurationException.class);
        assertThatThrownBy(() -> RegionalRedis.builder(fixture.router("us")).region("mars", "redis://127.0.0.1:1"))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("mars");
        assertThatThrownBy(() -> RegionalRedis.builder(fixture.router("us"))
                        .region("us", SERVERS.region("us").redis().uri()).build())
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("redis.endpoints must cover every region").hasMessageContaining("eu");
        assertThat(storedHash("us", "k")).isEmpty();
        assertThat(redis.readFrom("eu", "nothing")).isEqualTo(Optional.empty());
    }

    @Test
    void scriptMissingAfterServerRestart_isReloadedTransparently() {
        RegionalRedis<String> redis = fixture.redis("us", fixture.config().build());
        redis.set("product:s1", "a", AckPolicy.ALL);
        for (String r : List.of("us", "eu", "ap")) {
            fixture.direct(r).scriptFlush();
        }
        redis.set("product:s1", "b", AckPolicy.ALL);
        for (String r : List.of("us", "eu", "ap")) {
            assertThat(storedHash(r, "product:s1")).containsEntry("d", "b");
        }
    }

    @Test
    void hintLogOverflow_dropsOldestHints_countsThem_andEmitsEvent() {
        List<RegionEvent> events = new CopyOnWriteArrayList<>();
        RegionRouter router = fixture.router("us");
        RegionalRedis<String> redis = fixture.redis(router, fixture.config().hintLogMaxLength(5).build(),
                System::currentTimeMillis);
        redis.addListener(events::add);
        SERVERS.region("eu").redis().partition();
        ThreeRegions.awaitState(router, "eu", false);
        for (int i = 0; i < 8; i++) {
            String key = "product:o" + i;
            assertThatThrownBy(() -> redis.set(key, "v", AckPolicy.ALL))
                    .isInstanceOf(WriteNotAcknowledgedException.class);
        }
        assertThat(redis.pendingHints("eu")).isEqualTo(5);
        assertThat(redis.stats().get(Region.of("eu")).hintsDropped()).isEqualTo(3);
        assertThat(fixture.direct("us").get("rr:hints:{eu}:overflow")).isEqualTo("3");
        assertThat(events).filteredOn(e -> e instanceof io.regionrouter.redis.HintOverflowEvent).hasSize(3);

        // the overflow started a repair, which completes once eu is back: the dropped writes reach it too
        SERVERS.region("eu").redis().heal();
        ThreeRegions.awaitTrue(() -> events.stream().anyMatch(e -> e instanceof io.regionrouter.redis.RepairCompletedEvent r
                && r.report().complete()), Duration.ofSeconds(20), "the repair after the overflow");
        for (int i = 0; i < 8; i++) {
            assertThat(fixture.direct("eu").hget("product:o" + i, "d")).as("product:o" + i).isEqualTo("v");
        }
    }
}
