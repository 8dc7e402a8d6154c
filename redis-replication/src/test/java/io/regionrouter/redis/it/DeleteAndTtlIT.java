package io.regionrouter.redis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.Region;
import io.regionrouter.redis.AckPolicy;
import io.regionrouter.redis.RegionalRedis;
import io.regionrouter.redis.RegionalRedisConfig;
import io.regionrouter.redis.Version;
import io.regionrouter.redis.WriteNotAcknowledgedException;
import io.regionrouter.redis.internal.EnvelopeCodec;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeleteAndTtlIT extends ThreeRegionsBase {

    private static Map<String, String> stored(String region, String key) {
        return fixture.direct(region).hgetall(key);
    }

    private static void writeMissingEu(RegionalRedis<String> redis, String key, String value, Duration ttl) {
        assertThatThrownBy(() -> redis.set(key, value, ttl, AckPolicy.ALL))
                .isInstanceOfSatisfying(WriteNotAcknowledgedException.class,
                        e -> assertThat(e.hintedRegions()).containsExactly(Region.of("eu")));
    }

    private static void awaitDrained(RegionalRedis<String> redis) {
        ThreeRegions.awaitTrue(() -> redis.pendingHints("eu") == 0, Duration.ofSeconds(15), "eu hints drained");
    }

    @Test
    void delete_thenLateReplayOfOlderWrite_doesNotBringKeyBack() {
        RegionalRedis<String> writer = fixture.redis("us", fixture.config().build());
        SERVERS.region("eu").redis().partition();
        writeMissingEu(writer, "product:d", "old", null);
        writer.close(); // the hint stays in us's hint log, not yet replayed
        SERVERS.region("eu").redis().heal();

        RegionalRedis<String> deleter = fixture.redis("ap", fixture.config().build());
        Version deleted = deleter.delete("product:d", AckPolicy.ALL);
        for (String r : ALL) {
            assertThat(stored(r, "product:d")).as(r).containsEntry("f", "1");
            assertThat(deleter.readFrom(r, "product:d")).as(r).isEmpty();
        }

        RegionalRedis<String> replayer = fixture.redis("us", fixture.config().build());
        awaitDrained(replayer);
        assertThat(replayer.stats().get(Region.of("eu")).hintsReplayed()).isEqualTo(1);
        assertThat(stored("eu", "product:d")).containsEntry("f", "1")
                .containsEntry("v", EnvelopeCodec.hex(deleted.timestamp()));
        assertThat(replayer.get("product:d")).isNull();
        assertThat(fixture.direct("eu").pttl("product:d")).as("tombstone keeps a TTL").isPositive();
    }

    @Test
    void ttl_sameExpiryInstantInEveryRegion_andReplayDoesNotExtendIt() throws InterruptedException {
        RegionalRedis<String> redis = fixture.redis("us", fixture.config().build());
        SERVERS.region("eu").redis().partition();
        writeMissingEu(redis, "product:t", "v", Duration.ofSeconds(60));
        Thread.sleep(1_200); // the fault: the replay comes 1.2 s after the write, so a recomputed expiry would show
        SERVERS.region("eu").redis().heal();
        awaitDrained(redis);

        String expireAt = stored("us", "product:t").get("x");
        for (String r : ALL) {
            assertThat(stored(r, "product:t")).as(r).containsEntry("x", expireAt).containsEntry("d", "v");
            // the key, and its version, outlive the value's expiry by the tombstone retention
            long keptUntil = Long.parseLong(expireAt) + RegionalRedisConfig.DEFAULT_TOMBSTONE_TTL.toMillis();
            assertThat(stored(r, "product:t")).as(r).containsEntry("t", Long.toString(keptUntil));
            // the server read its clock between these two readings of the same clock, so however slow
            // the call, the key's expiry lies between them plus its TTL (1 ms for rounding)
            long before = System.currentTimeMillis();
            long pttl = fixture.direct(r).pttl("product:t");
            long after = System.currentTimeMillis();
            assertThat(keptUntil).as("key expiry in %s", r).isBetween(before + pttl - 1, after + pttl + 1);
            if (serverMajorVersion(r) >= 7) {
                assertThat(fixture.direct(r).pexpiretime("product:t")).as(r).isEqualTo(keptUntil);
            }
        }
        assertThat(redis.getVersioned("product:t")).get()
                .satisfies(v -> assertThat(v.expireAtMillis()).isEqualTo(Long.parseLong(expireAt)));
    }

    @Test
    void writeReplayedAfterItsExpiry_isKeptAsTombstoneNotAsValue() {
        RegionalRedis<String> redis = fixture.redis("us", fixture.config().build());
        SERVERS.region("eu").redis().partition();
        writeMissingEu(redis, "product:e", "short-lived", Duration.ofMillis(300));
        ThreeRegions.awaitTrue(() -> redis.readFrom("us", "product:e").isEmpty(), Duration.ofSeconds(10),
                "product:e to expire in us");
        assertThat(fixture.direct("us").exists("product:e")).as("its version is retained").isOne();
        SERVERS.region("eu").redis().heal();
        awaitDrained(redis);
        assertThat(stored("eu", "product:e")).containsEntry("f", "1").containsEntry("d", "");
        assertThat(redis.readFrom("eu", "product:e")).isEmpty();
    }

    @Test
    void writeWithoutTtl_afterWriteWithTtl_removesTheExpiryEverywhere() {
        RegionalRedis<String> redis = fixture.redis("us", fixture.config().build());
        redis.set("product:p", "short", Duration.ofSeconds(30), AckPolicy.ALL);
        assertThat(fixture.direct("eu").pttl("product:p")).isPositive();
        redis.set("product:p", "forever", null, AckPolicy.ALL);
        for (String r : ALL) {
            assertThat(fixture.direct(r).pttl("product:p")).as(r).isEqualTo(-1L);
            assertThat(stored(r, "product:p")).as(r).containsEntry("d", "forever").containsEntry("x", "0");
        }
    }

    private static int serverMajorVersion(String region) {
        String info = fixture.direct(region).info("server");
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("redis_version:")) {
                return Integer.parseInt(line.substring("redis_version:".length()).split("\\.")[0]);
            }
        }
        return 0;
    }
}
