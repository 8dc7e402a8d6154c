package io.regionrouter.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.regionrouter.core.Region;
import io.regionrouter.redis.AckPolicy;
import io.regionrouter.redis.Version;
import io.regionrouter.redis.WriteNotAcknowledgedException;
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
        t.failed(US, new TimeoutException("slow"));
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
        t.failed(EU, new TimeoutException());
        t.failed(AP, new TimeoutException());
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
        t.failed(EU, new TimeoutException("frozen"));
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
        t.failed(US, new TimeoutException());
        t.hintOutcome(US, false);
        t.acked(EU);
        t.acked(AP);
        WriteNotAcknowledgedException e = failure(t);
        assertThat(e.unhintedRegions()).containsExactly(US);
        assertThat(e.getMessage()).contains("NOT kept for [us]");
    }
}
