package io.regionrouter.redis.internal;

import io.regionrouter.core.Region;

/** Where the replication paths ask for a repair of a region that missed writes for good. Thread-safe. */
@FunctionalInterface
public interface RepairRequests {

    /**
     * Asks for a repair; returns at once, the repair runs in the background.
     *
     * @param region the region that missed writes
     * @param reason why, for the log
     */
    void request(Region region, String reason);
}
