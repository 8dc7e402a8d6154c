package io.regionrouter.redis;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionRouterException;

/**
 * A region's Redis refused a write of a key of a user whose move to another region is in its
 * freeze (a {@link RedisUserMover} froze it). Nothing was written. Retryable: the freeze is
 * bounded, and once it ends the user's writes go to the new region (or, after a rollback, to the
 * old one again). Found as the cause of the {@link WriteNotAcknowledgedException} of the write.
 */
public class UserFrozenException extends RegionRouterException {

    private static final long serialVersionUID = 1L;

    private final String key;

    /**
     * Creates the exception.
     *
     * @param key the key written
     * @param userId the user whose keys are frozen
     * @param region the region that refused
     * @param cause the server's reply
     */
    public UserFrozenException(String key, String userId, Region region, Throwable cause) {
        super("write of key \"" + key + "\" refused in region " + region + ": the user is moving to another region and"
                + " their writes are frozen for a bounded time; retry", cause, userId, region);
        this.key = key;
    }

    /** Returns the key. */
    public String key() {
        return key;
    }
}
