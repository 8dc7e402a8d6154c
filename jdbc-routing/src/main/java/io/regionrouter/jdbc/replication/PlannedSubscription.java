package io.regionrouter.jdbc.replication;

import io.regionrouter.core.Region;
import java.util.List;
import java.util.Objects;

/**
 * A subscription that {@link LogicalReplication} keeps in one region's database. Its replication
 * slot on the publisher has the same name.
 *
 * @param subscriber the region whose database holds the subscription
 * @param publisher the region it replicates from
 * @param name the subscription (and slot) name
 * @param publications the names of the publisher's publications it subscribes to
 */
public record PlannedSubscription(Region subscriber, Region publisher, String name, List<String> publications) {

    /** Copies the list. */
    public PlannedSubscription {
        Objects.requireNonNull(subscriber, "subscriber");
        Objects.requireNonNull(publisher, "publisher");
        Objects.requireNonNull(name, "name");
        publications = List.copyOf(publications);
    }
}
