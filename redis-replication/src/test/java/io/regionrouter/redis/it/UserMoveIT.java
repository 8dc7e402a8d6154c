package io.regionrouter.redis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.Region;
import io.regionrouter.core.Topology;
import io.regionrouter.core.UserDataMover;
import io.regionrouter.core.UserFrozenException;
import io.regionrouter.core.UserMovedAwayException;
import io.regionrouter.redis.AckPolicy;
import io.regionrouter.redis.RedisEndpoint;
import io.regionrouter.redis.RedisUserMover;
import io.regionrouter.redis.RegionalRedis;
import io.regionrouter.redis.WriteNotAcknowledgedException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A user's keys (hash tag = user id) copied from one region's Redis to another by difference, the
 * move marker refusing the user's writes in the old region inside the write script (frozen, then
 * moved away), and the purge deleting the keys in one region only. Counted on each server directly.
 */
class UserMoveIT extends ThreeRegionsBase {

    private static final Region EU = Region.of("eu");
    private static final Region US = Region.of("us");

    private RedisUserMover mover() {
        Topology topology = Topology.builder().regions("us", "eu", "ap").local("us").primary("us").build();
        RedisUserMover.Builder b = RedisUserMover.builder(topology).config(fixture.config().build());
        for (String r : ALL) {
            b.region(Region.of(r), RedisEndpoint.standalone(fixture.regions().region(r).redis().uri()));
        }
        return b.build();
    }

    private static int keys(String region, String pattern) {
        return fixture.direct(region).keys(pattern).size();
    }

    @Test
    void usersKeys_copiedVerifiedFencedAndPurged_inTheirRegionsOnly() {
        RegionalRedis<String> inEu = fixture.redis("eu", fixture.config().build());
        for (int i = 0; i < 50; i++) {
            inEu.forUser("alice").set("{alice}:k" + i, "v" + i, i % 10 == 0 ? Duration.ofMinutes(5) : null, AckPolicy.ALL);
        }
        inEu.forUser("alice").delete("{alice}:k49"); // a tombstone moves too
        fixture.direct("eu").set("{alice}:raw", "not ours");
        inEu.forUser("alice").set("{alicex}:other", "someone else", null, AckPolicy.ALL);
        inEu.forUser("bob").set("{bob}:cart", "b", null, AckPolicy.ALL);

        try (RedisUserMover mover = mover()) {
            assertThat(mover.copy("alice", EU, US)).isEqualTo(51);
            assertThat(keys("us", "*{alice}*")).isEqualTo(51);
            assertThat(keys("us", "{alicex}*")).isZero();
            UserDataMover.Digest eu = mover.digest("alice", EU);
            assertThat(eu.items()).isEqualTo(51);
            assertThat(mover.digest("alice", US)).isEqualTo(eu);
            assertThat(mover.copy("alice", EU, US)).as("nothing differs the second time").isZero();
            assertThat(fixture.direct("us").pttl("{alice}:k10")).isPositive();
            assertThat(fixture.direct("us").hget("{alice}:k3", "r")).isEqualTo("us");

            inEu.forUser("alice").set("{alice}:k1", "changed", null, AckPolicy.ALL);
            assertThat(mover.digest("alice", US)).isNotEqualTo(mover.digest("alice", EU));

            mover.freeze("alice", EU, Duration.ofSeconds(30));
            assertThatThrownBy(() -> inEu.forUser("alice").set("{alice}:k2", "while frozen", null, AckPolicy.ALL))
                    .isInstanceOf(WriteNotAcknowledgedException.class).hasCauseInstanceOf(UserFrozenException.class)
                    .satisfies(e -> assertThat(RedisUserMover.isFrozen(e)).isTrue());
            assertThat(inEu.pendingHints("eu")).as("a refused write is not kept for replay").isZero();
            inEu.forUser("bob").set("{bob}:cart", "b2", null, AckPolicy.ALL); // others unaffected
            assertThat(mover.copy("alice", EU, US)).isEqualTo(1);
            assertThat(mover.digest("alice", US)).isEqualTo(mover.digest("alice", EU));
            assertThat(mover.holdFreeze("alice", EU, null)).isPositive();
            assertThat(fixture.direct("eu").pttl("rr:moved:{alice}")).as("held: no expiry").isEqualTo(-1L);

            mover.fence("alice", EU, US, 7);
            mover.clearFence("alice", US);
            mover.unfreeze("alice", EU); // never lifts a fence
            assertThatThrownBy(() -> inEu.forUser("alice").set("{alice}:k2", "stale", null, AckPolicy.ALL))
                    .hasCauseInstanceOf(UserMovedAwayException.class)
                    .satisfies(e -> {
                        UserMovedAwayException moved = (UserMovedAwayException) e.getCause();
                        assertThat(moved.movedTo()).isEqualTo(US);
                        assertThat(moved.epoch()).isEqualTo(7);
                        assertThat(moved.userId()).contains("alice");
                    });
            assertThat(fixture.direct("eu").hget("{alice}:k2", "d")).isNotEqualTo("stale");

            assertThat(mover.purge("alice", EU)).isEqualTo(51);
            assertThat(keys("eu", "*{alice}*")).as("only the marker is left in eu").isEqualTo(1);
            assertThat(keys("us", "*{alice}*")).isEqualTo(51);
            assertThat(keys("eu", "{alicex}*") + keys("us", "{bob}*")).isEqualTo(2);
            assertThat(mover.digest("alice", EU).items()).isZero();
        }
    }

    @Test
    void hintForAFrozenRegion_isKeptUntilTheFreezeEnds_thenReplayed() {
        // bob lives in us, whose rules allow us and ap: his keys go to both
        RegionalRedis<String> inUs = fixture.redis("us", fixture.config().build());
        java.util.List<Object> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        inUs.addListener(events::add);
        Region ap = Region.of("ap");
        try (RedisUserMover mover = mover()) {
            mover.freeze("bob", ap, Duration.ofSeconds(60));
            SERVERS.region("ap").redis().partition();
            assertThatThrownBy(() -> inUs.forUser("bob").set("{bob}:h", "v", null, AckPolicy.ALL))
                    .isInstanceOf(WriteNotAcknowledgedException.class);
            assertThat(inUs.pendingHints("ap")).isEqualTo(1);
            SERVERS.region("ap").redis().heal();
            ThreeRegions.pause(Duration.ofMillis(1500)); // replay rounds run every 100 ms and meet the freeze
            assertThat(inUs.pendingHints("ap")).as("the hint is kept while ap is frozen for bob").isEqualTo(1);
            assertThat(fixture.direct("ap").exists("{bob}:h")).isZero();
            assertThat(events).noneMatch(e -> e instanceof io.regionrouter.redis.HintLostEvent);

            mover.unfreeze("bob", ap);
            ThreeRegions.awaitTrue(() -> "v".equals(fixture.direct("ap").hget("{bob}:h", "d")), Duration.ofSeconds(15),
                    "the hint replayed to ap after the freeze");
            ThreeRegions.awaitTrue(() -> inUs.pendingHints("ap") == 0, Duration.ofSeconds(5), "hint log drained");
        }
    }

    @Test
    void freeze_thawsByItself_whenNobodyHoldsIt() {
        RegionalRedis<String> inEu = fixture.redis("eu", fixture.config().build());
        try (RedisUserMover mover = mover()) {
            mover.freeze("alice", EU, Duration.ofMillis(300));
            assertThatThrownBy(() -> inEu.forUser("alice").set("{alice}:a", "x", null, AckPolicy.ALL))
                    .hasCauseInstanceOf(UserFrozenException.class);
            ThreeRegions.awaitTrue(() -> mover.marker("alice", EU) == null, Duration.ofSeconds(10), "the freeze to end");
            inEu.forUser("alice").set("{alice}:a", "x", null, AckPolicy.ALL);
            assertThat(mover.holdFreeze("alice", EU, null)).as("nothing left to hold").isZero();
            mover.fence("alice", EU, US, 3);
            assertThatThrownBy(() -> mover.freeze("alice", EU, Duration.ofSeconds(1)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("moved marker");
        }
    }
}
