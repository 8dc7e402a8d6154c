package io.regionrouter.redis;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionEvent;

/**
 * A write that {@code target} missed could not be kept for replay: the hint log (in the local
 * region's Redis) was unavailable, or full (the cause is a {@link HintLogFullException}: the hint
 * would have passed {@link RegionalRedisConfig#hintLogMaxBytes()}), or the target rejected the
 * replayed write with an error. When the caller had already been told that the write succeeded, the
 * loss is also logged at ERROR level; otherwise the caller's exception names the region as unhinted.
 *
 * @param target the region that misses the write
 * @param key the key
 * @param version the version of the write
 * @param cause why the hint was lost
 */
public record HintLostEvent(Region target, String key, Version version, Throwable cause) implements RegionEvent {
}
