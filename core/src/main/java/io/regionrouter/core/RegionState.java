package io.regionrouter.core;

/**
 * The health of a region as seen by {@link RegionHealth}.
 *
 * <p>A region starts {@link #UP}: the monitor is optimistic, so a freshly started process routes
 * normally and only marks a region {@link #DOWN} after the configured number of consecutive
 * failures.
 */
public enum RegionState {
    /** The region is serving; routing may use it. */
    UP,
    /** The region failed its health checks; routing skips it without paying a timeout. */
    DOWN
}
