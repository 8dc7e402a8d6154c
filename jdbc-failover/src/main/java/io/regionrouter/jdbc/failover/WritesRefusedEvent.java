package io.regionrouter.jdbc.failover;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionEvent;
import java.util.Objects;

/**
 * This instance refuses a region's connections because no server can be proven to be the current
 * primary: failing closed rather than writing to a server that may be an old one. Connections flow
 * again with the next {@link PrimaryFollowedEvent}.
 *
 * @param region the region
 * @param reason why, naming the servers involved
 */
public record WritesRefusedEvent(Region region, String reason) implements RegionEvent {
    /** Validates the fields. */
    public WritesRefusedEvent {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(reason, "reason");
    }
}
