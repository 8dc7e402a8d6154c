package io.regionrouter.jdbc.failover;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionEvent;
import io.regionrouter.core.RegionState;

/**
 * The failover manager's own monitor changed its view of a region's primary. A DOWN starts the
 * confirmation, and then the failover when {@link FailoverConfig#automatic()} is on; it does not
 * change routing by itself (the router's health does that).
 *
 * @param region the region
 * @param endpoint the primary's name
 * @param state the new state
 * @param lastFailure the failure that tipped it DOWN; null when it came UP
 */
public record PrimaryHealthChangedEvent(Region region, String endpoint, RegionState state, Throwable lastFailure)
        implements RegionEvent {
}
