package io.regionrouter.jdbc.failover;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionEvent;

/**
 * A primary that a failover replaced answers again and is writable (not in recovery). The router
 * never uses it: its epoch is older than the region's. It is left to an operator, or to the
 * {@link OldPrimaryHandler}.
 *
 * @param region the region
 * @param endpoint the old primary's name
 * @param fencedEpoch the epoch the old primary served; the region's epoch is higher
 * @param walBytesAhead how far the old primary's WAL runs past the point where the standby was
 *     promoted, in bytes: transactions it committed that the new primary never received, plus its own
 *     shutdown and startup records; -1 if it could not be measured
 */
public record OldPrimaryReturnedEvent(Region region, String endpoint, long fencedEpoch, long walBytesAhead)
        implements RegionEvent {
}
