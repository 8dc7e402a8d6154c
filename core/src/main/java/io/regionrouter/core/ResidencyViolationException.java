package io.regionrouter.core;

/**
 * A request would put or read REGULATED data in a region that the home region's residency rules do
 * not allow. Routing fails closed with this exception instead.
 */
public class ResidencyViolationException extends RegionRouterException {

    private static final long serialVersionUID = 1L;

    private final Region home;

    /**
     * Creates the exception.
     *
     * @param userId the user, may be null when the home region was given directly
     * @param home the home region whose rules were applied
     * @param target the region that is not allowed; {@link #region()} returns it
     */
    public ResidencyViolationException(String userId, Region home, Region target) {
        super("residency violation: region " + target + " is not allowed for data homed in " + home
                + (userId == null ? "" : " (user " + userId + ")"), null, userId, target);
        this.home = home;
    }

    /**
     * Creates the exception with its own message, for example for a region that may hold the data
     * but not take its writes.
     *
     * @param message the message; it should name the regions
     * @param userId the user, may be null
     * @param home the home region whose rules were applied
     * @param target the region that is not allowed
     */
    public ResidencyViolationException(String message, String userId, Region home, Region target) {
        super(message, null, userId, target);
        this.home = home;
    }

    /** Returns the home region whose residency rules were applied. */
    public Region home() {
        return home;
    }

    /** Returns the region that was not allowed. */
    public Region target() {
        return region().orElse(null);
    }
}
