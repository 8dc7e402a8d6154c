package io.regionrouter.jdbc.replication;

import io.regionrouter.core.Region;
import java.util.List;
import java.util.Optional;

/**
 * The publications and subscriptions a {@link ReplicationPlan} needs in a topology, computed and
 * checked against the residency rules before anything touches a database.
 *
 * @param namePrefix the prefix of every name below
 * @param publications the publications, by publishing region
 * @param subscriptions the subscriptions, by subscribing region
 * @param activeActiveTables the tables written in every region, which get a last-write-wins trigger everywhere
 */
public record ReplicationSetup(String namePrefix, List<PlannedPublication> publications,
        List<PlannedSubscription> subscriptions, List<ActiveActiveTable> activeActiveTables) {

    /** Copies the lists. */
    public ReplicationSetup {
        publications = List.copyOf(publications);
        subscriptions = List.copyOf(subscriptions);
        activeActiveTables = List.copyOf(activeActiveTables);
    }

    /**
     * A setup without active-active tables.
     *
     * @param namePrefix the prefix of every name
     * @param publications the publications
     * @param subscriptions the subscriptions
     */
    public ReplicationSetup(String namePrefix, List<PlannedPublication> publications, List<PlannedSubscription> subscriptions) {
        this(namePrefix, publications, subscriptions, List.of());
    }

    /** The publications of one region. */
    public List<PlannedPublication> publicationsOf(Region region) {
        return publications.stream().filter(p -> p.region().equals(region)).toList();
    }

    /** The subscriptions held by one region. */
    public List<PlannedSubscription> subscriptionsOf(Region region) {
        return subscriptions.stream().filter(s -> s.subscriber().equals(region)).toList();
    }

    /** The subscription with this name, if planned. */
    public Optional<PlannedSubscription> subscription(String name) {
        return subscriptions.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
