package io.regionrouter.redis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.redis.AckPolicy;
import io.regionrouter.redis.ClockOffsetException;
import io.regionrouter.redis.RegionalRedis;
import io.regionrouter.redis.Version;
import io.regionrouter.redis.WriteNotAcknowledgedException;
import io.regionrouter.redis.WriteResult;
import org.junit.jupiter.api.Test;

/** A write says whether it was applied or superseded; reads move the clock; far-future versions are refused. */
class HonestWritesIT extends ThreeRegionsBase {

    @Test
    void writeFromAClockBehind_isReportedSuperseded_byTheNewerVersion_andTheNextWriteOrdersAfterIt() {
        RegionalRedis<String> us = fixture.redis("us", fixture.config().build());
        RegionalRedis<String> behind = fixture.redis(fixture.router("ap"), fixture.config().build(),
                () -> System.currentTimeMillis() - 800);
        WriteResult first = us.write("product:h", "new", null, AckPolicy.ALL);
        assertThat(first.applied()).isTrue();

        WriteResult late = behind.write("product:h", "old", null, AckPolicy.ALL);
        assertThat(late.superseded()).isTrue();
        assertThat(late.supersededBy()).contains(first.version());
        assertThat(late.version()).isLessThan(first.version());
        assertThat(us.get("product:h")).isEqualTo("new");

        WriteResult next = behind.write("product:h", "newest", null, AckPolicy.ALL);
        assertThat(next.applied()).as("the clock moved past what it saw").isTrue();
        assertThat(us.get("product:h")).isEqualTo("newest");
    }

    @Test
    void read_movesTheClockPastWhatItRead() {
        RegionalRedis<String> us = fixture.redis("us", fixture.config().build());
        RegionalRedis<String> behind = fixture.redis(fixture.router("ap"), fixture.config().build(),
                () -> System.currentTimeMillis() - 800);
        Version written = us.set("product:r", "x", AckPolicy.ALL);
        assertThat(behind.get("product:r")).isEqualTo("x");
        Version after = behind.set("product:other", "y", AckPolicy.ALL);
        assertThat(after).as("a write that follows a read orders after what it read").isGreaterThan(written);
    }

    @Test
    void writeFromAClockFarAhead_isRefusedByEveryRegionAndReported_andDragsNoClock() {
        // us's clock stands still, so any drag of its clock shows as a version off that instant
        long frozen = System.currentTimeMillis();
        RegionalRedis<String> us = fixture.redis(fixture.router("us"), fixture.config().build(), () -> frozen);
        RegionalRedis<String> ahead = fixture.redis(fixture.router("ap"), fixture.config().build(),
                () -> System.currentTimeMillis() + 60_000);
        assertThatThrownBy(() -> ahead.set("product:f", "future", AckPolicy.LOCAL))
                .isInstanceOfSatisfying(WriteNotAcknowledgedException.class, e -> {
                    assertThat(e.failedRegions()).as(e.getMessage()).hasSize(3);
                    assertThat(e.hintedRegions()).as("never hinted: retrying cannot fix a clock").isEmpty();
                    assertThat(e.getCause()).isInstanceOf(ClockOffsetException.class)
                            .hasMessageContaining("ahead of this server clock");
                });
        for (String r : ALL) {
            assertThat(fixture.direct(r).exists("product:f")).as(r).isZero();
        }
        Version mine = us.set("product:f", "now", AckPolicy.ALL);
        assertThat(mine.physicalMillis()).as("us's version comes from its own clock").isEqualTo(frozen);
        assertThat(us.get("product:f")).isEqualTo("now");
    }
}
