package io.regionrouter.jdbc.failover;

import io.regionrouter.core.Region;

/**
 * A failover target breaks the residency rules: the region's REGULATED data may not be held in the
 * region the standby runs in. The manager fails closed: it does not promote the standby.
 */
public class FailoverRefusedException extends FailoverException {

    private static final long serialVersionUID = 1L;

    private final String target;
    private final Region targetLocation;

    /**
     * Creates the exception.
     *
     * @param region the failing region
     * @param target the standby's name
     * @param targetLocation the region the standby runs in
     * @param allowed the regions the residency rules allow for the region's data
     */
    public FailoverRefusedException(Region region, String target, Region targetLocation, Object allowed) {
        super(region, "failover." + region + ".standby: " + target + " runs in " + targetLocation + ", but the REGULATED data of "
                + region + " may only be held in " + allowed + "; refusing to promote it", null);
        this.target = target;
        this.targetLocation = targetLocation;
    }

    /** The refused standby's name. */
    public String target() {
        return target;
    }

    /** The region the refused standby runs in. */
    public Region targetLocation() {
        return targetLocation;
    }
}
