package io.regionrouter.redis;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionEvent;

/**
 * A write that {@code target} did not acknowledge was appended to the hint log and will be replayed
 * when the region is UP again.
 *
 * @param target the region that missed the write
 * @param key the key
 * @param version the version of the write
 */
public record HintQueuedEvent(Region target, String key, Version version) implements RegionEvent {
}
