package io.regionrouter.redis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.redis.AckPolicy;
import io.regionrouter.redis.RegionalRedis;
import io.regionrouter.redis.WriteNotAcknowledgedException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * The library's own keys (hint streams, their counters) are not part of the application's key space:
 * every application call refuses them before anything is sent, so a write cannot turn a hint stream
 * into a hash and lose what it holds.
 */
class ReservedKeysIT extends ThreeRegionsBase {


    private static void assertRefused(ThrowingCallable call, String key, String access) {
        assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key \"" + key + "\" is under redis.keyPrefix \"rr:\", which holds the hint log and"
                        + " counters of RegionalRedis: it cannot be " + access + " through the application API");
    }

    @Test
    void libraryKeys_areRefusedForWritesReadsAndDeletes_andTheHintLogKeepsWorking() {
        RegionRouter router = fixture.router("us");
        RegionalRedis<String> redis = fixture.redis(router, fixture.config().build(), System::currentTimeMillis);
        // this instance's stream of hints for ap
        String stream = "rr:hints:{ap}:log:" + redis.writerId().substring(3);

        // no hint yet: bob's data may live in us, so this write would have put a hash where ap's hint
        // stream belongs, and every hint for ap would then have failed with WRONGTYPE
        assertRefused(() -> redis.forUser("bob").set(stream, "x", null, AckPolicy.ALL), stream, "written");
        assertRefused(() -> redis.set(stream, "x", AckPolicy.ALL), stream, "written");
        for (String r : ALL) {
            assertThat(fixture.direct(r).exists(stream)).as("nothing created in " + r).isZero();
        }

        SERVERS.region("ap").redis().partition();
        ThreeRegions.awaitState(router, "ap", false);
        assertThatThrownBy(() -> redis.set("product:1", "v1", AckPolicy.ALL))
                .isInstanceOfSatisfying(WriteNotAcknowledgedException.class,
                        e -> assertThat(e.hintedRegions()).containsExactly(Region.of("ap")));
        assertThat(fixture.direct("us").type(stream)).isEqualTo("stream");

        for (String key : List.of(stream, "rr:hints:{ap}:overflow", "rr:hints:{ap}:bytes",
                "rr:hints:{ap}:owners", "rr:replayers", "rr:")) {
            assertRefused(() -> redis.set(key, "x"), key, "written");
            assertRefused(() -> redis.setAsync(key, "x"), key, "written");
            assertRefused(() -> redis.set(key, "x", Duration.ofMinutes(1)), key, "written");
            assertRefused(() -> redis.forUser("alice").set(key, "x"), key, "written");
            assertRefused(() -> redis.delete(key), key, "deleted");
            assertRefused(() -> redis.deleteAsync(key), key, "deleted");
            assertRefused(() -> redis.forUser("bob").delete(key), key, "deleted");
            assertRefused(() -> redis.get(key), key, "read");
            assertRefused(() -> redis.getVersioned(key), key, "read");
            assertRefused(() -> redis.forUser("bob").get(key), key, "read");
            assertRefused(() -> redis.readFrom("us", key), key, "read");
        }

        assertThat(fixture.direct("us").type(stream)).isEqualTo("stream");
        assertThat(redis.pendingHints("ap")).isEqualTo(1);
        SERVERS.region("ap").redis().heal();
        ThreeRegions.awaitTrue(() -> "v1".equals(fixture.direct("ap").hget("product:1", "d")), Duration.ofSeconds(10),
                "the hint replayed to ap");
        ThreeRegions.awaitTrue(() -> redis.pendingHints("ap") == 0, Duration.ofSeconds(5), "the hint log drained");
    }

    @Test
    void aCustomKeyPrefix_isTheOneRefused() {
        RegionalRedis<String> redis = fixture.redis("us", fixture.config().keyPrefix("app-rr:").build());
        assertThatThrownBy(() -> redis.set("app-rr:hints:{ap}", "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is under redis.keyPrefix \"app-rr:\"");
        assertThat(redis.pendingHints("ap")).isZero();
        // only the library's own keys (the marker each region holds) exist, all under the custom prefix
        assertThat(fixture.direct("us").keys("*")).allMatch(k -> k.startsWith("app-rr:"));
        assertThat(fixture.direct("eu").keys("*")).allMatch(k -> k.startsWith("app-rr:"));
    }
}
