package io.regionrouter.core;

/**
 * A region changed state, as decided by {@link RegionHealth}.
 *
 * @param region the region
 * @param from the previous state
 * @param to the new state
 * @param lastFailure the failure that tipped the region DOWN; null when it came UP
 */
public record RegionStateChangedEvent(Region region, RegionState from, RegionState to, Throwable lastFailure)
        implements RegionEvent {
}
