package io.regionrouter.core;

/**
 * A store refused a write of a user who moved to another region: the writer routed the user by a
 * stale directory entry. Nothing was written. Look the user up again and retry; {@link #movedTo()}
 * and {@link #epoch()} say which assignment superseded the old one. Thrown, or found as a cause, by
 * the stores that a {@link UserDataMover} fences (Redis keys, MongoDB documents).
 */
public class UserMovedAwayException extends RegionRouterException {

    private static final long serialVersionUID = 1L;

    private final Region movedTo;
    private final long epoch;

    /**
     * Creates the exception.
     *
     * @param what the refused write, such as {@code "write of key \"{alice}:cart\""}
     * @param userId the user
     * @param region the old region, whose store refused
     * @param movedTo the new home, or null if the store did not say
     * @param epoch the directory epoch of the move, or -1
     * @param cause the store's reply, may be null
     */
    public UserMovedAwayException(String what, String userId, Region region, Region movedTo, long epoch, Throwable cause) {
        super(what + " refused in region " + region + ": the user moved to " + movedTo + " (directory epoch " + epoch + ")",
                cause, userId, region);
        this.movedTo = movedTo;
        this.epoch = epoch;
    }

    /**
     * The user's new home.
     *
     * @return the region, or null if unknown
     */
    public Region movedTo() {
        return movedTo;
    }

    /**
     * The directory epoch of the move.
     *
     * @return the epoch, or -1 if unknown
     */
    public long epoch() {
        return epoch;
    }

    /**
     * Whether a failure, or one of its causes, is a {@link UserMovedAwayException}.
     *
     * @param failure a failure, may be null
     * @return true if a write was refused because the user moved away
     */
    public static boolean isCauseOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof UserMovedAwayException) {
                return true;
            }
        }
        return false;
    }
}
