package io.regionrouter.jdbc;

import io.regionrouter.core.Region;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What {@link RegionMigration#auditStores(Region)} found in one region's other stores: per store
 * (the {@link io.regionrouter.core.UserDataMover#name() mover's name}), the users who moved away
 * from that region, whose retention has passed, and how many keys or documents they still have there.
 *
 * @param region the audited region
 * @param movedUserItems store name to (user to items left); only stores and users with items left
 */
public record StoreResidencyAudit(Region region, Map<String, Map<String, Long>> movedUserItems) {

    /** Copies the map. */
    public StoreResidencyAudit {
        Objects.requireNonNull(region, "region must not be null");
        Map<String, Map<String, Long>> copy = new TreeMap<>();
        movedUserItems.forEach((store, users) -> copy.put(store, Map.copyOf(users)));
        movedUserItems = Map.copyOf(copy);
    }

    /**
     * Whether no moved user has anything left in the region.
     *
     * @return true when clean
     */
    public boolean clean() {
        return movedUserItems.isEmpty();
    }
}
