package io.regionrouter.core;

/**
 * The kind of data a request touches, which decides how it may be routed.
 */
public enum DataClass {
    /**
     * Personal data. It stays in the user's home region or in a region that the home region's
     * residency rules allow, and access fails closed when none of those is available.
     */
    REGULATED,
    /**
     * Reference data such as products. It is written in the primary region, replicated everywhere
     * and read from the nearest healthy copy.
     */
    GLOBAL
}
