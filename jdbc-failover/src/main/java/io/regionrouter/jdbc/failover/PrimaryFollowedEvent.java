package io.regionrouter.jdbc.failover;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionEvent;
import java.util.Objects;

/**
 * This instance now sends a region's connections to the server that proved to be its current
 * primary: at start, or after a promotion made by anyone (this instance, another one, an operator,
 * an HA manager).
 *
 * @param region the region
 * @param server the name of the server now written
 * @param identity its identity
 * @param switched whether the region's pool was switched (false when it already pointed there)
 */
public record PrimaryFollowedEvent(Region region, String server, PrimaryIdentity identity, boolean switched) implements RegionEvent {
    /** Validates the fields. */
    public PrimaryFollowedEvent {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(identity, "identity");
    }
}
