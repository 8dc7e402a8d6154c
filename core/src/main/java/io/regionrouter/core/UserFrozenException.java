package io.regionrouter.core;

/**
 * A store refused a write of a user whose move to another region is in its freeze: nothing was
 * written. Retryable: the freeze is bounded, and once it ends the user's writes go to the new region
 * (or, after a rollback, to the old one again). Thrown, or found as a cause, by the stores that a
 * {@link UserDataMover} fences (Redis keys, MongoDB documents).
 */
public class UserFrozenException extends RegionRouterException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param what the refused write, such as {@code "write of key \"{alice}:cart\""}
     * @param userId the user
     * @param region the region whose store refused
     * @param cause the store's reply, may be null
     */
    public UserFrozenException(String what, String userId, Region region, Throwable cause) {
        super(what + " refused in region " + region + ": the user is moving to another region and their writes are"
                + " frozen for a bounded time; retry", cause, userId, region);
    }

    /**
     * Whether a failure, or one of its causes, is a {@link UserFrozenException}.
     *
     * @param failure a failure, may be null
     * @return true if a write was refused by a freeze
     */
    public static boolean isCauseOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof UserFrozenException) {
                return true;
            }
        }
        return false;
    }
}
