package io.regionrouter.redis;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionRouterException;

/**
 * A region's Redis refused a write of a key of a user who moved to another region: this instance
 * routed the user by a stale directory entry. Nothing was written. Retry once the directory names
 * the new home ({@link #movedTo()}); the move's epoch says which assignment superseded the old one.
 * Found as the cause of the {@link WriteNotAcknowledgedException} of the write.
 */
public class UserMovedAwayException extends RegionRouterException {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final Region movedTo;
    private final long epoch;

    /**
     * Creates the exception.
     *
     * @param key the key written
     * @param userId the user
     * @param region the old region, which refused
     * @param movedTo the new home, or null if the marker could not be read
     * @param epoch the directory epoch of the move, or -1
     * @param cause the server's reply
     */
    public UserMovedAwayException(String key, String userId, Region region, Region movedTo, long epoch, Throwable cause) {
        super("write of key \"" + key + "\" refused in region " + region + ": the user moved to " + movedTo
                + " (directory epoch " + epoch + ")", cause, userId, region);
        this.key = key;
        this.movedTo = movedTo;
        this.epoch = epoch;
    }

    /** Returns the key. */
    public String key() {
        return key;
    }

    /** Returns the user's new home, or null if unknown. */
    public Region movedTo() {
        return movedTo;
    }

    /** Returns the directory epoch of the move, or -1 if unknown. */
    public long epoch() {
        return epoch;
    }
}
