package io.regionrouter.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisException;
import io.regionrouter.core.OutcomeUnknownException;
import io.regionrouter.core.Region;
import io.regionrouter.redis.AckPolicy;
import io.regionrouter.redis.HintLogFullException;
import io.regionrouter.redis.Version;
import io.regionrouter.redis.WriteNotAcknowledgedException;
import io.regionrouter.redis.WriteOutcomeUnknownException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class AckTrackerTest {

    private static final Region US = Region.of("us");
    private static final Region EU = Region.of("eu");
    private static final Region AP = Region.of("ap");
    private static final Version V = new Version(1, "us/a");

    private static AckTracker tracker(AckPolicy policy) {
        return new AckTracker("k", policy, V, List.of(US, EU, AP));
    }

    private static WriteNotAcknowledgedException failure(AckTracker t) {
        assertThat(t.result()).isCompletedExceptionally();
        return (WriteNotAcknowledgedException) t.result().handle((v, e) -> e).join();
    }

    @Test
    void local_completesOnFirstTargetAloneWhileOthersPending() {
        AckTracker t = tracker(AckPolicy.LOCAL);
        t.acked(US);
        assertThat(t.result()).isCompletedWithValue(V);
    }

    @Test
    void local_doesNotCompleteOnOtherRegions() {
        AckTracker t = tracker(AckPolicy.LOCAL);
        t.acked(EU);
        t.acked(AP);
        assertThat(t.result()).isNotDone();
        t.failed(US, new TimeoutException("slow"), true);
        t.hintOutcome(US, true);
        WriteNotAcknowledgedException e = failure(t);
        assertThat(e.failedRegions()).containsExactly(US);
        assertThat(e.hintedRegions()).containsExactly(US);
        assertThat(e.getMessage()).contains("[us]").contains("hint log");
    }

    @Test
    void quorum_needsTwoOfThree() {
        AckTracker t = tracker(AckPolicy.QUORUM);
        t.acked(AP);
        assertThat(t.result()).isNotDone();
        t.acked(EU);
        assertThat(t.result()).isCompletedWithValue(V);
    }

    @Test
    void quorum_failsWhenTwoRegionsFail() {
        AckTracker t = tracker(AckPolicy.QUORUM);
        t.acked(US);
        t.failed(EU, new TimeoutException(), true);
        t.failed(AP, new TimeoutException(), true);
        t.hintOutcome(EU, true);
        assertThat(t.result()).isNotDone();
        t.hintOutcome(AP, true);
        assertThat(failure(t).failedRegions()).containsExactly(EU, AP);
    }

    @Test
    void all_failsNamingTheRegionOnlyAfterItsHintIsStored() {
        AckTracker t = tracker(AckPolicy.ALL);
        t.acked(US);
        t.acked(AP);
        t.failed(EU, new TimeoutException("frozen"), true);
        assertThat(t.result()).isNotDone();
        t.hintOutcome(EU, true);
        WriteNotAcknowledgedException e = failure(t);
        assertThat(e.failedRegions()).containsExactly(EU);
        assertThat(e.region()).contains(EU);
        assertThat(e.getMessage()).contains("ack ALL").contains("[eu]").contains("frozen");
    }

    @Test
    void all_completesWhenEveryRegionAcks() {
        AckTracker t = tracker(AckPolicy.ALL);
        t.acked(AP);
        t.acked(US);
        assertThat(t.result()).isNotDone();
        t.acked(EU);
        assertThat(t.result()).isCompletedWithValue(V);
    }

    @Test
    void lostHintBeforeAnswer_failsEvenThoughPolicyIsMet() {
        AckTracker t = tracker(AckPolicy.QUORUM);
        t.failed(US, new RedisException("Currently not connected. Commands are rejected."), false);
        t.hintOutcome(US, false);
        t.acked(EU);
        t.acked(AP);
        WriteNotAcknowledgedException e = failure(t);
        assertThat(e.unhintedRegions()).containsExactly(US);
        assertThat(e.getMessage()).contains("NOT kept for [us]");
    }

    @Test
    void sentButUnansweredAndNotHinted_isOutcomeUnknown() {
        AckTracker t = tracker(AckPolicy.ALL);
        t.acked(EU);
        t.acked(AP);
        t.failed(US, new TimeoutException("no reply"), true);
        t.hintOutcome(US, false);
        WriteOutcomeUnknownException e = unknown(t);
        assertThat(e).isInstanceOf(OutcomeUnknownException.class);
        assertThat(e.unknownRegions()).containsExactly(US);
        assertThat(e.unhintedRegions()).containsExactly(US);
        assertThat(e.region()).contains(US);
        assertThat(e.version()).isEqualTo(V);
        assertThat(e.getMessage()).contains("outcome UNKNOWN in [us]").contains("may have been applied")
                .contains("no reply");
    }

    @Test
    void sentButUnansweredAndHinted_isNotAcknowledged_becauseReplayWillApplyIt() {
        AckTracker t = tracker(AckPolicy.ALL);
        t.acked(US);
        t.acked(AP);
        t.failed(EU, new TimeoutException(), true);
        t.hintOutcome(EU, true);
        assertThat(failure(t).hintedRegions()).containsExactly(EU);
    }

    @Test
    void expire_reportsEveryUnresolvedRegionAsUnknown() {
        AckTracker t = tracker(AckPolicy.ALL);
        t.acked(US);
        t.failed(EU, new RedisException("Currently not connected. Commands are rejected."), false);
        // EU's hint append has not finished, AP has not answered at all
        t.expire(Duration.ofMillis(1500));
        WriteOutcomeUnknownException e = unknown(t);
        assertThat(e.unknownRegions()).containsExactly(EU, AP);
        assertThat(e.failedRegions()).containsExactly(EU, AP);
        assertThat(e.hintedRegions()).isEmpty();
        assertThat(e.unhintedRegions()).isEmpty();
        assertThat(e.getMessage()).contains("no answer within the operation timeout PT1.5S");
    }

    @Test
    void expire_afterTheAnswer_changesNothing() {
        AckTracker t = tracker(AckPolicy.LOCAL);
        t.acked(US);
        t.expire(Duration.ofSeconds(1));
        assertThat(t.result()).isCompletedWithValue(V);
    }

    @Test
    void expire_withEveryFailedRegionAccountedFor_stillNamesThePendingOnes() {
        AckTracker t = tracker(AckPolicy.QUORUM);
        t.failed(US, new TimeoutException(), true);
        t.hintOutcome(US, true);
        t.acked(EU);
        t.expire(Duration.ofSeconds(1));
        assertThat(unknown(t).unknownRegions()).containsExactly(AP);
    }

    @Test
    void local_withARegionKnownToHaveMissed_waitsForItsHintBeforeAnswering() {
        AckTracker t = tracker(AckPolicy.LOCAL);
        t.failed(AP, new RuntimeException("region ap is DOWN; not tried"), false);
        t.acked(US);
        assertThat(t.result()).as("ap's hint is not stored yet").isNotDone();
        t.hintOutcome(AP, true);
        assertThat(t.result()).isCompletedWithValue(V);
    }

    @Test
    void local_hintRefusedBecauseTheLogIsFull_failsTheWriteNamingRegionAndReason() {
        AckTracker t = tracker(AckPolicy.LOCAL);
        t.failed(AP, new RuntimeException("region ap is DOWN; not tried"), false);
        t.acked(US);
        t.acked(EU);
        HintLogFullException full = new HintLogFullException(AP, US, 4000, 458, 4096);
        t.hintOutcome(AP, false, full);
        WriteNotAcknowledgedException e = failure(t);
        assertThat(e.unhintedRegions()).containsExactly(AP);
        assertThat(e.hintFailures()).containsEntry(AP, full);
        assertThat(e.getMessage()).contains("NOT kept for [ap] (ap: HintLogFullException hint log for region ap in"
                + " local region us is full: it holds 4000 bytes and a hint of 458 bytes would pass"
                + " redis.hintLogMaxBytes (4096)");
    }

    private static WriteOutcomeUnknownException unknown(AckTracker t) {
        assertThat(t.result()).isCompletedExceptionally();
        Throwable e = t.result().handle((v, x) -> x).join();
        assertThat(e).isInstanceOf(WriteOutcomeUnknownException.class);
        return (WriteOutcomeUnknownException) e;
    }

    @Test
    void batchedRegion_countsForAllOnceQueued_notAsAnAck() {
        AckTracker t = new AckTracker("k", AckPolicy.ALL, V, List.of(US, EU, AP), List.of(EU));
        t.failed(EU, new IllegalStateException("queued"), false);
        t.acked(US);
        t.acked(AP);
        assertThat(t.result()).as("waits for the queue append").isNotDone();
        t.hintOutcome(EU, true);
        assertThat(t.result()).isCompletedWithValue(V);
    }

    @Test
    void batchedRegion_whoseQueueRefusedTheWrite_failsTheWriteNamingIt() {
        AckTracker t = new AckTracker("k", AckPolicy.LOCAL, V, List.of(US, EU), List.of(EU));
        t.failed(EU, new IllegalStateException("queued"), false);
        t.acked(US);
        t.hintOutcome(EU, false, new IllegalStateException("full"));
        WriteNotAcknowledgedException e = failure(t);
        assertThat(e.failedRegions()).containsExactly(EU);
    }
}
