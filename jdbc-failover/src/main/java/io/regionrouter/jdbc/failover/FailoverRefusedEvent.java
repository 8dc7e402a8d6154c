package io.regionrouter.jdbc.failover;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionEvent;

/**
 * A failover target was refused because promoting it would break the residency rules: the standby
 * runs in a region that may not hold the REGULATED data of the failing region. Nothing was promoted.
 *
 * @param region the region whose primary the standby would replace
 * @param target the standby's name
 * @param targetLocation the region the standby runs in
 */
public record FailoverRefusedEvent(Region region, String target, Region targetLocation) implements RegionEvent {
}
