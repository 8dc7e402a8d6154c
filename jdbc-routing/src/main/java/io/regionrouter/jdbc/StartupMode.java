package io.regionrouter.jdbc;

/** What {@link RegionalDataSources.Builder#build()} does when a region's database cannot be reached. */
public enum StartupMode {
    /**
     * Every pool opens a first connection while it is built; an unreachable database fails
     * {@code build()} with a {@link io.regionrouter.core.RegionUnavailableException} naming the region,
     * and the pools already created are closed. The default.
     */
    FAIL_FAST,
    /**
     * Pools are created without connecting; an unreachable region is found by its health probe and
     * by the first calls, and is used as soon as it answers.
     */
    LAZY
}
