package io.regionrouter.jdbc.replication.internal;

import io.regionrouter.core.RegionEvent;
import io.regionrouter.jdbc.replication.ReplicationAlert;
import io.regionrouter.jdbc.replication.ReplicationAlertClearedEvent;
import io.regionrouter.jdbc.replication.ReplicationBrokenEvent;
import io.regionrouter.jdbc.replication.ReplicationLagHighEvent;
import io.regionrouter.jdbc.replication.ReplicationLink;
import io.regionrouter.jdbc.replication.SlotRetentionHighEvent;
import io.regionrouter.jdbc.replication.SlotStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns judged links and slots into events, once per episode: an event when a condition starts and
 * a {@link ReplicationAlertClearedEvent} when it ends. A lag that cannot be measured neither raises
 * nor clears HIGH_LAG. Not thread-safe; the monitor polls one at a time.
 */
public final class AlertTracker {

    private final Duration highLag;
    private final long slotRetentionBytes;
    private final Map<ReplicationAlert, Set<String>> active = new EnumMap<>(ReplicationAlert.class);

    /**
     * Creates the tracker.
     *
     * @param highLag the lag above which HIGH_LAG is raised
     * @param slotRetentionBytes the retained WAL above which SLOT_RETENTION is raised
     */
    public AlertTracker(Duration highLag, long slotRetentionBytes) {
        this.highLag = highLag;
        this.slotRetentionBytes = slotRetentionBytes;
        for (ReplicationAlert a : ReplicationAlert.values()) {
            active.put(a, new HashSet<>());
        }
    }

    /** The subjects with a raised alert of this kind. */
    public Set<String> active(ReplicationAlert alert) {
        return Set.copyOf(active.get(alert));
    }

    /** The subject of a slot in events: {@code <region>/<slot>}. */
    public static String slotSubject(SlotStatus slot) {
        return slot.region().id() + "/" + slot.slotName();
    }

    /**
     * Compares with the previous poll.
     *
     * @param links this poll's links
     * @param slots this poll's slots, of regions that could be read
     * @param readRegions ids of the regions whose slots were read; slot alerts of others stay as they are
     * @return the events to publish, in order
     */
    public List<RegionEvent> update(List<ReplicationLink> links, List<SlotStatus> slots, Set<String> readRegions) {
        List<RegionEvent> events = new ArrayList<>();
        Set<String> linkNames = new HashSet<>();
        for (ReplicationLink l : links) {
            linkNames.add(l.name());
            if (!l.up()) {
                if (active.get(ReplicationAlert.BROKEN).add(l.name())) {
                    events.add(new ReplicationBrokenEvent(l.name(), l.source(), l.target(), l.problem()));
                }
            } else if (active.get(ReplicationAlert.BROKEN).remove(l.name())) {
                events.add(new ReplicationAlertClearedEvent(ReplicationAlert.BROKEN, l.name()));
            }
            if (l.lag().isPresent()) {
                if (l.lag().get().compareTo(highLag) > 0) {
                    if (active.get(ReplicationAlert.HIGH_LAG).add(l.name())) {
                        events.add(new ReplicationLagHighEvent(l.name(), l.source(), l.target(), l.lag().get(), highLag));
                    }
                } else if (active.get(ReplicationAlert.HIGH_LAG).remove(l.name())) {
                    events.add(new ReplicationAlertClearedEvent(ReplicationAlert.HIGH_LAG, l.name()));
                }
            }
        }
        for (ReplicationAlert a : List.of(ReplicationAlert.BROKEN, ReplicationAlert.HIGH_LAG)) {
            for (String gone : Set.copyOf(active.get(a))) {
                if (!linkNames.contains(gone)) {
                    active.get(a).remove(gone);
                    events.add(new ReplicationAlertClearedEvent(a, gone));
                }
            }
        }
        Set<String> slotSubjects = new HashSet<>();
        for (SlotStatus s : slots) {
            String subject = slotSubject(s);
            slotSubjects.add(subject);
            long retained = s.retainedBytes().orElse(0L);
            if (retained > slotRetentionBytes) {
                if (active.get(ReplicationAlert.SLOT_RETENTION).add(subject)) {
                    events.add(new SlotRetentionHighEvent(s.region(), s.slotName(), s.active(), retained, slotRetentionBytes));
                }
            } else if (active.get(ReplicationAlert.SLOT_RETENTION).remove(subject)) {
                events.add(new ReplicationAlertClearedEvent(ReplicationAlert.SLOT_RETENTION, subject));
            }
        }
        for (String gone : Set.copyOf(active.get(ReplicationAlert.SLOT_RETENTION))) {
            String region = gone.substring(0, gone.indexOf('/'));
            if (readRegions.contains(region) && !slotSubjects.contains(gone)) {
                active.get(ReplicationAlert.SLOT_RETENTION).remove(gone);
                events.add(new ReplicationAlertClearedEvent(ReplicationAlert.SLOT_RETENTION, gone));
            }
        }
        return events;
    }
}
