package io.regionrouter.redis;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionEvent;

/**
 * Hints that this instance had queued for {@code target} vanished from the hint log in the local
 * region's Redis before they were replayed: that Redis restarted without persistence (no AOF), failed
 * over to a replica that had not received them, or the stream was deleted. The writes they held will
 * not reach {@code target} by replay. They are counted in {@link RegionStats#hintsLost()} and
 * {@link RegionStats#hintsAbandoned()}, logged at ERROR, and a repair of {@code target} is started
 * ({@link RepairCompletedEvent} reports its end).
 *
 * @param target the region the lost hints were for
 * @param logRegion the region whose Redis held the log (the local region)
 * @param lost how many hints were lost, exactly
 */
public record HintLogLostEvent(Region target, Region logRegion, long lost) implements RegionEvent {
}
