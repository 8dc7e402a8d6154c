package io.regionrouter.core;

/**
 * One store of a region changed state, as decided by {@link RegionHealth}. Health is kept per
 * (region, store): eu's Redis going DOWN is {@code (eu, redis, UP, DOWN)} and says nothing about eu's
 * PostgreSQL.
 *
 * @param region the region
 * @param store the store whose state changed
 * @param from the previous state
 * @param to the new state
 * @param lastFailure the failure that tipped the store DOWN; null when it came UP
 */
public record RegionStateChangedEvent(Region region, Store store, RegionState from, RegionState to,
        Throwable lastFailure) implements RegionEvent {
}
