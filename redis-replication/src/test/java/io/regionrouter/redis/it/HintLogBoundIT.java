package io.regionrouter.redis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.regionrouter.core.HealthConfig;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionEvent;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.redis.AckPolicy;
import io.regionrouter.redis.HintLogFullException;
import io.regionrouter.redis.HintLostEvent;
import io.regionrouter.redis.HintQueuedEvent;
import io.regionrouter.redis.RegionalRedis;
import io.regionrouter.redis.Version;
import io.regionrouter.redis.WriteNotAcknowledgedException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The hint log has a byte bound. With a tiny bound and a partitioned region, the hints that fit are
 * kept, every later write reports the region as not kept (and is counted, published and logged), and
 * the local Redis's stream stops growing. Its bytes are measured on the server directly.
 */
class HintLogBoundIT extends ThreeRegionsBase {

    private static final long MAX_BYTES = 4096;
    /** The stream of the instance under test: each instance keeps its own hints for a target. */
    private static String stream;
    private static final String VALUE = "v".repeat(300);

    /** The bytes the entries in the stream count, computed here from what the server holds. */
    private static long entryBytes() {
        long total = 0;
        for (StreamMessage<String, String> m : fixture.direct("us").xrange(stream, Range.create("-", "+"))) {
            long n = 0;
            for (Map.Entry<String, String> f : m.getBody().entrySet()) {
                n += f.getKey().getBytes(StandardCharsets.UTF_8).length + f.getValue().getBytes(StandardCharsets.UTF_8).length;
            }
            total += n * 9 / 8 + 64;
        }
        return total;
    }

    private static long streamMemory() {
        return fixture.direct("us").memoryUsage(stream);
    }

    @Test
    void partitionedRegion_hintsPastTheByteBound_areRefusedReportedCountedAndLogged_andTheStreamStopsGrowing() {
        List<RegionEvent> events = new CopyOnWriteArrayList<>();
        RegionRouter router = fixture.router("us");
        RegionalRedis<String> redis = fixture.redis(router, fixture.config().hintLogMaxBytes(MAX_BYTES).build(),
                System::currentTimeMillis);
        stream = "rr:hints:{ap}:log:" + redis.writerId().substring(3);
        redis.addListener(events::add);
        SERVERS.region("ap").redis().partition();
        ThreeRegions.awaitState(router, "ap", false);

        List<Version> kept = new ArrayList<>();
        List<WriteNotAcknowledgedException> refused = new ArrayList<>();
        long memoryWhenFull = -1;
        String log;
        try (LogCapture capture = LogCapture.start()) {
            for (int i = 0; i < 40; i++) {
                try {
                    kept.add(redis.set("product:b" + i, VALUE, AckPolicy.LOCAL));
                } catch (WriteNotAcknowledgedException e) {
                    if (refused.isEmpty()) {
                        memoryWhenFull = streamMemory();
                    }
                    refused.add(e);
                }
            }
            log = capture.text();
        }

        // the first hints fit, then every write is told that ap will not get it
        assertThat(kept).hasSizeBetween(5, 12);
        assertThat(refused).hasSize(40 - kept.size());
        for (WriteNotAcknowledgedException e : refused) {
            assertThat(e.failedRegions()).containsExactly(Region.of("ap"));
            assertThat(e.unhintedRegions()).containsExactly(Region.of("ap"));
            assertThat(e.hintedRegions()).isEmpty();
            assertThat(e.hintFailures().get(Region.of("ap"))).isInstanceOfSatisfying(HintLogFullException.class,
                    full -> {
                        assertThat(full.maxBytes()).isEqualTo(MAX_BYTES);
                        assertThat(full.usedBytes() + full.hintBytes()).isGreaterThan(MAX_BYTES);
                    });
            assertThat(e.getMessage()).contains("NOT kept for [ap] (ap: HintLogFullException hint log for region ap"
                    + " in local region us is full");
        }
        // the other regions still hold every write
        assertThat(fixture.direct("eu").keys("product:b*")).hasSize(40);

        // the log holds exactly the kept hints, within the bound, counted the same on both sides
        long pending = redis.pendingHints("ap");
        assertThat(pending).isEqualTo(kept.size());
        assertThat(redis.pendingHintBytes("ap")).isEqualTo(entryBytes()).isLessThanOrEqualTo(MAX_BYTES);
        assertThat(streamMemory()).as("Redis's own MEMORY USAGE of the stream stopped growing")
                .isEqualTo(memoryWhenFull).isLessThanOrEqualTo(MAX_BYTES + 1024);

        // nothing silent: counted, published, logged once when the log turned full
        assertThat(redis.stats().get(Region.of("ap")).hintsLost()).isEqualTo(refused.size());
        assertThat(redis.stats().get(Region.of("ap")).hintsQueued()).isEqualTo(kept.size());
        assertThat(events).filteredOn(e -> e instanceof HintLostEvent l && l.cause() instanceof HintLogFullException)
                .hasSize(refused.size());
        assertThat(events).filteredOn(e -> e instanceof HintQueuedEvent).hasSize(kept.size());
        assertThat(log.lines().filter(l -> l.contains("ERROR") && l.contains("hint log for region ap is full")))
                .hasSize(1);

        // replay drains the log; the counter follows, and the log accepts hints again
        SERVERS.region("ap").redis().heal();
        ThreeRegions.awaitTrue(() -> redis.pendingHints("ap") == 0, Duration.ofSeconds(10), "the hint log drained");
        assertThat(redis.pendingHintBytes("ap")).isZero();
        assertThat(fixture.direct("ap").keys("product:b*")).hasSize(kept.size());
        SERVERS.region("ap").redis().partition();
        ThreeRegions.awaitState(router, "ap", false);
        try (LogCapture capture = LogCapture.start()) {
            assertThatThrownBy(() -> redis.set("product:after", VALUE, AckPolicy.ALL))
                    .isInstanceOfSatisfying(WriteNotAcknowledgedException.class,
                            e -> assertThat(e.hintedRegions()).containsExactly(Region.of("ap")));
            assertThat(capture.lines("WARN", "hint log for region ap accepts hints again; " + refused.size()
                    + " writes that ap missed were not kept")).isEqualTo(1);
        }
        assertThat(redis.pendingHintBytes("ap")).isEqualTo(entryBytes()).isPositive();
    }

    @Test
    void lengthBound_dropsTheOldestHints_andTheByteCountFollowsThem() {
        RegionRouter router = fixture.router("us");
        RegionalRedis<String> redis = fixture.redis(router, fixture.config().hintLogMaxLength(3).build(),
                System::currentTimeMillis);
        stream = "rr:hints:{ap}:log:" + redis.writerId().substring(3);
        SERVERS.region("ap").redis().partition();
        ThreeRegions.awaitState(router, "ap", false);
        for (int i = 0; i < 6; i++) {
            String key = "product:d" + i;
            assertThatThrownBy(() -> redis.set(key, VALUE, AckPolicy.ALL)).isInstanceOf(WriteNotAcknowledgedException.class);
        }
        assertThat(redis.pendingHints("ap")).isEqualTo(3);
        assertThat(redis.stats().get(Region.of("ap")).hintsDropped()).isEqualTo(3);
        assertThat(redis.pendingHintBytes("ap")).as("the dropped hints' bytes were taken off")
                .isEqualTo(entryBytes()).isPositive();

        SERVERS.region("ap").redis().heal();
        ThreeRegions.awaitTrue(() -> redis.pendingHints("ap") == 0, Duration.ofSeconds(10), "the hint log drained");
        assertThat(redis.pendingHintBytes("ap")).isZero();
        assertThat(fixture.direct("us").exists("rr:hints:{ap}:bytes")).as("an empty log leaves no counter").isZero();
    }

    @Test
    void hintRefusedAfterTheCallerWasAnswered_isCountedPublishedAndLoggedAsLost() {
        List<RegionEvent> events = new CopyOnWriteArrayList<>();
        // health that will not notice the partition during the test: ap stays UP, so each write is sent
        // to ap, times out, and only then is hinted, long after ack LOCAL answered the caller
        RegionRouter router = fixture.router("us", HealthConfig.builder().interval(Duration.ofSeconds(30))
                .timeout(Duration.ofMillis(400)).minimumCalls(1_000).build());
        RegionalRedis<String> redis = fixture.redis(router, fixture.config().hintLogMaxBytes(MAX_BYTES).build(),
                System::currentTimeMillis);
        stream = "rr:hints:{ap}:log:" + redis.writerId().substring(3);
        redis.addListener(events::add);
        SERVERS.region("ap").redis().partition();

        String log;
        try (LogCapture capture = LogCapture.start()) {
            List<CompletableFuture<Version>> writes = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                writes.add(redis.setAsync("product:l" + i, VALUE).toCompletableFuture());
            }
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
            ThreeRegions.awaitTrue(() -> events.stream().filter(e -> e instanceof HintQueuedEvent
                    || e instanceof HintLostEvent).count() == 20, Duration.ofSeconds(10), "every hint settled");
            log = capture.text();
        }

        assertThat(router.health().isUp(Region.of("ap"), io.regionrouter.core.Store.REDIS)).isTrue();
        long lost = events.stream().filter(e -> e instanceof HintLostEvent l
                && l.cause() instanceof HintLogFullException).count();
        assertThat(lost).isPositive();
        assertThat(redis.pendingHints("ap")).isEqualTo(20 - lost);
        assertThat(redis.stats().get(Region.of("ap")).hintsLost()).isEqualTo(lost);
        assertThat(redis.pendingHintBytes("ap")).isEqualTo(entryBytes()).isLessThanOrEqualTo(MAX_BYTES);
        assertThat(log.lines().filter(l -> l.contains("ERROR") && l.contains("missed region ap and the hint log for it"
                + " is full: it is LOST for that region"))).hasSize((int) lost);
    }
}
