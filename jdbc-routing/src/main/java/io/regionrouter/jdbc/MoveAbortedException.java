package io.regionrouter.jdbc;

import io.regionrouter.core.RegionRouterException;

/**
 * A move that {@link RegionMigration} undid before the flip: the target's copies were deleted and
 * the source unfrozen, so the user is where they were. The message says why (the verification
 * found a difference, the user was assigned by someone else meanwhile, the freeze ran out).
 */
public final class MoveAbortedException extends RegionRouterException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param userId the user
     * @param message why the move was undone
     */
    public MoveAbortedException(String userId, String message) {
        super(message, null, userId, null);
    }
}
