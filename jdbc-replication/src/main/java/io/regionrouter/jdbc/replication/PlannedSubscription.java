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
 * @param copyData whether the subscription copies the tables' existing rows when created
 * @param localOriginOnly whether it takes only changes made on the publisher itself
 *        ({@code origin = none}), which active-active replication needs to avoid loops
 */
public record PlannedSubscription(Region subscriber, Region publisher, String name, List<String> publications,
        boolean copyData, boolean localOriginOnly) {

    /** Copies the list. */
    public PlannedSubscription {
        Objects.requireNonNull(subscriber, "subscriber");
        Objects.requireNonNull(publisher, "publisher");
        Objects.requireNonNull(name, "name");
        publications = List.copyOf(publications);
    }

    /**
     * A one-way subscription that copies existing rows and takes every change.
     *
     * @param subscriber the subscribing region
     * @param publisher the publishing region
     * @param name the subscription (and slot) name
     * @param publications the publications
     */
    public PlannedSubscription(Region subscriber, Region publisher, String name, List<String> publications) {
        this(subscriber, publisher, name, publications, true, false);
    }
}
