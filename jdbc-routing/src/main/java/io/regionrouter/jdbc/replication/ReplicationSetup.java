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
 */
public record ReplicationSetup(String namePrefix, List<PlannedPublication> publications,
        List<PlannedSubscription> subscriptions) {

    /** Copies the lists. */
    public ReplicationSetup {
        publications = List.copyOf(publications);
        subscriptions = List.copyOf(subscriptions);
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
