package io.regionrouter.redis;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionEvent;

/**
 * The hint log of {@code target} reached its maximum length and its oldest hints were dropped.
 * Those writes will not reach the region by replay; it needs a resync of the affected keys.
 *
 * @param target the region whose hint log overflowed
 * @param dropped how many hints were dropped by this append
 */
public record HintOverflowEvent(Region target, long dropped) implements RegionEvent {
}
