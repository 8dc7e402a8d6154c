package io.regionrouter.jdbc.failover;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionEvent;

/**
 * A failover did not start or stopped before the promotion, and the region stays on its primary:
 * a confirmation probe reached the primary, or a before-promotion listener vetoed it.
 *
 * @param region the region
 * @param reason why, for people
 */
public record FailoverAbortedEvent(Region region, String reason) implements RegionEvent {
}
