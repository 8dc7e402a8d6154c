package io.regionrouter.core.internal;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionState;
import io.regionrouter.core.RegionStateChangedEvent;
import io.regionrouter.core.Store;

/**
 * The UP/DOWN state machine of one store in one region: {@code failureThreshold} consecutive failures take an UP
 * region DOWN, {@code successThreshold} consecutive successes take a DOWN region UP. Starts UP.
 *
 * <p>Not thread-safe: the owning monitor guards it. {@link #state()} may be read without the lock.
 */
public final class Hysteresis {

    private final Region region;
    private final Store store;
    private final int failureThreshold;
    private final int successThreshold;
    private volatile RegionState state = RegionState.UP;
    private int failures;
    private int successes;

    /**
     * Creates the state machine in state UP.
     *
     * @param region the region, for events
     * @param store the store, for events
     * @param failureThreshold consecutive failures that mark the region DOWN, &gt;= 1
     * @param successThreshold consecutive successes that mark the region UP, &gt;= 1
     */
    public Hysteresis(Region region, Store store, int failureThreshold, int successThreshold) {
        if (failureThreshold < 1 || successThreshold < 1) {
            throw new IllegalArgumentException("thresholds must be >= 1, but were " + failureThreshold + " and "
                    + successThreshold);
        }
        this.region = region;
        this.store = store;
        this.failureThreshold = failureThreshold;
        this.successThreshold = successThreshold;
    }

    /** Returns the current state. */
    public RegionState state() {
        return state;
    }

    /** Returns the failures counted towards DOWN so far. */
    public int consecutiveFailures() {
        return failures;
    }

    /** Returns the successes counted towards UP so far. */
    public int consecutiveSuccesses() {
        return successes;
    }

    /**
     * Counts a success.
     *
     * @return the state change it caused, or null
     */
    public RegionStateChangedEvent onSuccess() {
        failures = 0;
        if (state == RegionState.UP) {
            return null;
        }
        successes++;
        if (successes < successThreshold) {
            return null;
        }
        successes = 0;
        state = RegionState.UP;
        return new RegionStateChangedEvent(region, store, RegionState.DOWN, RegionState.UP, null);
    }

    /**
     * Counts a failure.
     *
     * @param cause what failed
     * @return the state change it caused, or null
     */
    public RegionStateChangedEvent onFailure(Throwable cause) {
        successes = 0;
        if (state == RegionState.DOWN) {
            return null;
        }
        failures++;
        if (failures < failureThreshold) {
            return null;
        }
        return trip(cause);
    }

    /**
     * Marks an UP store DOWN at once, for a verdict reached outside the probe counts (the failure
     * rate of real calls).
     *
     * @param cause what failed
     * @return the state change it caused, or null if the store was DOWN already
     */
    public RegionStateChangedEvent trip(Throwable cause) {
        if (state == RegionState.DOWN) {
            return null;
        }
        failures = 0;
        successes = 0;
        state = RegionState.DOWN;
        return new RegionStateChangedEvent(region, store, RegionState.UP, RegionState.DOWN, cause);
    }
}
