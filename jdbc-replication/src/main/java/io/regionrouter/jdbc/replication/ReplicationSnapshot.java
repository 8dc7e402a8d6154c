package io.regionrouter.jdbc.replication;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one {@link ReplicationMonitor#poll()} read. Immutable.
 *
 * @param takenAt when the poll started, by the monitor's clock
 * @param links every replication path the monitor knows, judged
 * @param senders the WAL senders of every monitored region
 * @param slots the replication slots of every monitored region
 * @param subscriptions the subscriptions of every monitored region
 * @param standbys the monitored standbys that answered
 * @param errors databases that could not be read: region id or standby name to the error message
 */
public record ReplicationSnapshot(Instant takenAt, List<ReplicationLink> links, List<SenderStatus> senders,
        List<SlotStatus> slots, List<SubscriptionStatus> subscriptions, List<StandbyStatus> standbys,
        Map<String, String> errors) {

    /** Copies the collections. */
    public ReplicationSnapshot {
        links = List.copyOf(links);
        senders = List.copyOf(senders);
        slots = List.copyOf(slots);
        subscriptions = List.copyOf(subscriptions);
        standbys = List.copyOf(standbys);
        errors = Map.copyOf(errors);
    }

    /** An empty snapshot, before the first poll. */
    public static ReplicationSnapshot empty(Instant at) {
        return new ReplicationSnapshot(at, List.of(), List.of(), List.of(), List.of(), List.of(), Map.of());
    }

    /** The link with this name. */
    public Optional<ReplicationLink> link(String name) {
        return links.stream().filter(l -> l.name().equals(name)).findFirst();
    }

    /** The slot with this name. */
    public Optional<SlotStatus> slot(String name) {
        return slots.stream().filter(s -> s.slotName().equals(name)).findFirst();
    }

    /** The standby with this name. */
    public Optional<StandbyStatus> standby(String name) {
        return standbys.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
