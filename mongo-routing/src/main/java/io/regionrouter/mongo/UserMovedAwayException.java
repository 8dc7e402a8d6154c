package io.regionrouter.mongo;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionRouterException;

/**
 * A document write of a user who moved to another region was refused before it was sent: this
 * instance routed the user by a stale directory entry. Nothing was written. Retry once the directory
 * names the new home ({@link #movedTo()}). Thrown only by databases of {@link RegionalMongoClients}
 * built with {@link RegionalMongoClients.Builder#moveFences(boolean) moveFences(true)}.
 */
public class UserMovedAwayException extends RegionRouterException {

    private static final long serialVersionUID = 1L;

    private final Region movedTo;
    private final long epoch;

    /**
     * Creates the exception.
     *
     * @param userId the user
     * @param region the old region, whose database refused
     * @param movedTo the new home, or null if unknown
     * @param epoch the directory epoch of the move, or -1
     */
    public UserMovedAwayException(String userId, Region region, Region movedTo, long epoch) {
        super("document write refused in region " + region + ": the user moved to " + movedTo + " (directory epoch "
                + epoch + ")", null, userId, region);
        this.movedTo = movedTo;
        this.epoch = epoch;
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
