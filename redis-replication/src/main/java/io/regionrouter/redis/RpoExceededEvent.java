package io.regionrouter.redis;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionEvent;
import java.time.Duration;

/**
 * The oldest write queued for a {@linkplain ReplicationMode#batched batched} region has waited longer
 * than the mode's RPO bound: the region is cut off, DOWN, or the shipper cannot keep up. Published when
 * a check of the queue finds it so, at most once per bound while it stays so. What is queued is in the
 * hint log, not lost; it ships once the region is UP again.
 *
 * @param target the batched region
 * @param age the age of the oldest unshipped write
 * @param bound the configured bound
 */
public record RpoExceededEvent(Region target, Duration age, Duration bound) implements RegionEvent {
}
