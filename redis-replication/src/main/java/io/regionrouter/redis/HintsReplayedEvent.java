package io.regionrouter.redis;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionEvent;

/**
 * A batch of hints was replayed to {@code target} and removed from the hint log. Hints whose
 * version was already superseded in the target count as replayed too (the version check made them
 * no-ops).
 *
 * @param target the region the hints were replayed to
 * @param count the number of hints in the batch
 */
public record HintsReplayedEvent(Region target, int count) implements RegionEvent {
}
