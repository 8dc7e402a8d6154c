package io.regionrouter.redis;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionRouterException;

/**
 * A region refused a write because its version is further ahead of that region's clock than
 * {@link RegionalRedisConfig#maxClockOffset()}: the writer's clock is wrong. Accepting it would make
 * every later write of the key lose to it, and drag every writer's clock forward. The server answered,
 * so this never counts against the region's health; the write is not hinted. Fix the writer's clock.
 */
public class ClockOffsetException extends RegionRouterException {

    private static final long serialVersionUID = 1L;

    private final String key;

    /**
     * Creates the exception.
     *
     * @param key the key
     * @param region the region that refused the write
     * @param detail the server's message: the version and how far ahead it was
     * @param cause the server's reply
     */
    public ClockOffsetException(String key, Region region, String detail, Throwable cause) {
        super("write of key \"" + key + "\" refused by region " + region + ": " + detail, cause, null, region);
        this.key = key;
    }

    /** Returns the key. */
    public String key() {
        return key;
    }
}
