package io.regionrouter.mongo;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionRouterException;

/**
 * A document write of a user whose move to another region is in its freeze was refused before it
 * was sent (a {@link MongoUserMover} froze the user in that region's database). Nothing was written.
 * Retryable: the freeze is bounded, and once it ends the user's writes go to the new region (or,
 * after a rollback, to the old one again). Thrown only by databases of {@link RegionalMongoClients}
 * built with {@link RegionalMongoClients.Builder#moveFences(boolean) moveFences(true)}.
 */
public class UserFrozenException extends RegionRouterException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param userId the user
     * @param region the region whose database refused
     */
    public UserFrozenException(String userId, Region region) {
        super("document write refused in region " + region + ": the user is moving to another region and their"
                + " writes are frozen for a bounded time; retry", null, userId, region);
    }
}
