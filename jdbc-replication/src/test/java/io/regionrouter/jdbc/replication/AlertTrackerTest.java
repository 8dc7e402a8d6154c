package io.regionrouter.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionEvent;
import io.regionrouter.jdbc.replication.internal.AlertTracker;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AlertTrackerTest {

    static final Region US = Region.of("us");
    static final Duration THRESHOLD = Duration.ofSeconds(300);

    final AlertTracker tracker = new AlertTracker(THRESHOLD, 1000);

    static ReplicationLink link(Optional<Duration> lag, boolean up) {
        return new ReplicationLink("l1", LinkKind.LOGICAL, US, "eu", lag, up, up ? null : "disabled");
    }

    static SlotStatus slot(long retained) {
        return new SlotStatus(US, "s1", true, false, "reserved", OptionalLong.of(retained));
    }

    List<RegionEvent> update(ReplicationLink link, SlotStatus... slots) {
        return tracker.update(link == null ? List.of() : List.of(link), List.of(slots), Set.of("us"));
    }

    @Test
    void highLag_isRaisedOncePerEpisode_andCleared() {
        assertThat(update(link(Optional.of(Duration.ofSeconds(300)), true))).as("at the threshold").isEmpty();
        assertThat(update(link(Optional.of(Duration.ofSeconds(301)), true)))
                .containsExactly(new ReplicationLagHighEvent("l1", US, "eu", Duration.ofSeconds(301), THRESHOLD));
        assertThat(update(link(Optional.of(Duration.ofSeconds(900)), true))).isEmpty();
        assertThat(update(link(Optional.empty(), true))).as("unknown lag neither raises nor clears").isEmpty();
        assertThat(tracker.active(ReplicationAlert.HIGH_LAG)).containsExactly("l1");
        assertThat(update(link(Optional.of(Duration.ofSeconds(1)), true)))
                .containsExactly(new ReplicationAlertClearedEvent(ReplicationAlert.HIGH_LAG, "l1"));
    }

    @Test
    void broken_isRaisedOnce_andClearedWhenUp_orWhenTheLinkIsGone() {
        assertThat(update(link(Optional.empty(), false))).containsExactly(new ReplicationBrokenEvent("l1", US, "eu", "disabled"));
        assertThat(update(link(Optional.empty(), false))).isEmpty();
        assertThat(update(link(Optional.empty(), true)))
                .containsExactly(new ReplicationAlertClearedEvent(ReplicationAlert.BROKEN, "l1"));
        update(link(Optional.empty(), false));
        assertThat(update(null)).containsExactly(new ReplicationAlertClearedEvent(ReplicationAlert.BROKEN, "l1"));
    }

    @Test
    void slotRetention_isRaisedAboveThreshold_andClearedBelowOrWhenDropped() {
        assertThat(update(null, slot(1000))).isEmpty();
        assertThat(update(null, slot(1001))).containsExactly(new SlotRetentionHighEvent(US, "s1", false, 1001, 1000));
        assertThat(update(null, slot(5000))).isEmpty();
        assertThat(update(null, slot(10)))
                .containsExactly(new ReplicationAlertClearedEvent(ReplicationAlert.SLOT_RETENTION, "us/s1"));
        update(null, slot(5000));
        assertThat(tracker.update(List.of(), List.of(), Set.of())).as("region not read: keep the alert").isEmpty();
        assertThat(update(null)).containsExactly(new ReplicationAlertClearedEvent(ReplicationAlert.SLOT_RETENTION, "us/s1"));
    }
}
