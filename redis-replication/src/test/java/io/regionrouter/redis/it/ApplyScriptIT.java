package io.regionrouter.redis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import io.regionrouter.redis.internal.Scripts;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of the version-checked write script, row by row, against a real Redis: what it
 * applies, what it refuses and what it leaves behind. Every write path (immediate, hint replay,
 * batch inbox, repair) goes through it, so a row broken here breaks convergence everywhere.
 */
class ApplyScriptIT extends ThreeRegionsBase {

    private static final String KEY = "product:lamp";

    private RedisCommands<String, String> redis;

    @BeforeEach
    void connect() {
        redis = fixture.direct("us");
    }

    @Test
    void aNewKey_isWritten_withItsVersionAndWriter() {
        assertThat(apply("0000018c00000001", "writer-a", "0")).containsExactly(1L, "0000018c00000001", "writer-a");

        assertThat(redis.hgetall(KEY)).containsEntry("v", "0000018c00000001").containsEntry("w", "writer-a")
                .containsEntry("d", "lamp");
        assertThat(redis.pttl(KEY)).as("no expiry asked for, none set").isEqualTo(-1);
    }

    @Test
    void anOlderVersion_isRefused_andAnswersWithTheStoredOne() {
        apply("0000018c00000002", "writer-a", "0");

        assertThat(apply("0000018c00000001", "writer-b", "0")).containsExactly(0L, "0000018c00000002", "writer-a");
        assertThat(redis.hget(KEY, "w")).isEqualTo("writer-a");
    }

    @Test
    void versionsAreComparedAsNumbers_acrossTheHalfOfTheDigits() {
        apply("00000000ffffffff", "writer-a", "0");

        assertThat(apply("0000000100000000", "writer-a", "0")).first().isEqualTo(1L);
        assertThat(apply("00000000fffffffe", "writer-a", "0")).containsExactly(0L, "0000000100000000", "writer-a");
    }

    @Test
    void onEqualVersions_theWriterDecides_byteByByte_whateverTheServerLocale() {
        // byte order puts "B" (66) before "a" (97); a locale-aware comparison would not
        apply("0000018c00000001", "B-writer", "0");

        assertThat(apply("0000018c00000001", "a-writer", "0")).first().as("a-writer is after B-writer").isEqualTo(1L);
        assertThat(apply("0000018c00000001", "B-writer", "0")).containsExactly(0L, "0000018c00000001", "a-writer");
        assertThat(apply("0000018c00000001", "a-writer", "0")).as("the same write again is not newer").first()
                .isEqualTo(0L);
        assertThat(apply("0000018c00000001", "a-writer-2", "0")).as("a longer writer id sorts after its prefix")
                .first().isEqualTo(1L);
    }

    @Test
    void foreignValues_areLeftAlone_andNamed() {
        redis.set(KEY, "plain string");
        assertThatThrownBy(() -> apply("0000018c00000001", "writer-a", "0"))
                .isInstanceOf(RedisCommandExecutionException.class).hasMessageStartingWith("RRFOREIGN a value of type string");
        redis.del(KEY);
        redis.hset(KEY, Map.of("name", "lamp"));
        assertThatThrownBy(() -> apply("0000018c00000001", "writer-a", "0"))
                .hasMessageStartingWith("RRFOREIGN a hash without a 16-hex-digit version field");
        redis.hset(KEY, "v", "1");
        assertThatThrownBy(() -> apply("0000018c00000001", "writer-a", "0"))
                .hasMessageStartingWith("RRFOREIGN a hash without a 16-hex-digit version field");

        assertThat(redis.hgetall(KEY)).containsOnly(Map.entry("name", "lamp"), Map.entry("v", "1"));
    }

    @Test
    void aVersionFarAheadOfTheServerClock_isRefused() {
        long farAhead = System.currentTimeMillis() + 60_000;
        String version = String.format("%012x0000", farAhead);

        assertThatThrownBy(() -> apply(version, "writer-a", "0"))
                .hasMessageStartingWith("RRFUTURE version " + version + " of writer-a is ");
        assertThat(redis.exists(KEY)).isZero();
    }

    @Test
    void aValueWithAnExpiry_keepsItsVersionUntilTheRetention_andAnOverwriteWithoutExpiryPersists() {
        long now = Long.parseLong(redis.time().get(0)) * 1000;
        String expiresAt = Long.toString(now + 60_000);
        String keptUntil = Long.toString(now + 120_000);
        apply("0000018c00000001", "writer-a", expiresAt, keptUntil);
        assertThat(redis.pttl(KEY)).as("kept until the retention").isGreaterThan(60_000);

        apply("0000018c00000002", "writer-a", "0");

        assertThat(redis.pttl(KEY)).as("the newer value has no expiry").isEqualTo(-1);
        assertThat(redis.hget(KEY, "x")).isEqualTo("0");
    }

    @Test
    void aWriteThatArrivesExpired_isKeptAsATombstone() {
        long now = Long.parseLong(redis.time().get(0)) * 1000;
        String keptUntil = Long.toString(now + 60_000);

        assertThat(apply("0000018c00000001", "writer-a", Long.toString(now - 1), keptUntil))
                .containsExactly(2L, "0000018c00000001", "writer-a");

        assertThat(redis.hgetall(KEY)).containsEntry("f", "1").containsEntry("d", "");
        assertThat(apply("0000018c00000000", "writer-a", "0")).as("an older write is still refused").first()
                .isEqualTo(0L);
    }

    @Test
    void aUserWithAMoveMarker_isFenced() {
        String key = "{alice}:cart";
        redis.set("rr:moved:{alice}", "F");
        assertThatThrownBy(() -> apply(key, "0000018c00000001", "writer-a", "0", "0"))
                .hasMessageStartingWith("RRFROZEN alice");
        assertThat(redis.exists(key)).isZero();
    }

    private List<Object> apply(String version, String writer, String expireAt) {
        return apply(KEY, version, writer, expireAt, "0");
    }

    private List<Object> apply(String version, String writer, String expireAt, String keepUntil) {
        return apply(KEY, version, writer, expireAt, keepUntil);
    }

    private List<Object> apply(String key, String version, String writer, String expireAt, String keepUntil) {
        List<Object> reply = redis.eval(Scripts.APPLY, ScriptOutputType.MULTI, new String[] {key}, version, writer,
                "0", "lamp", expireAt, keepUntil, "us,eu", "500");
        return reply;
    }
}
