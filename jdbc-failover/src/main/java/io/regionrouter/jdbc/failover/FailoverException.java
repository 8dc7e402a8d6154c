package io.regionrouter.jdbc.failover;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionRouterException;

/** A failover could not be carried out. Carries the region and the cause. */
public class FailoverException extends RegionRouterException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param region the region
     * @param message what failed
     * @param cause the cause, may be null
     */
    public FailoverException(Region region, String message, Throwable cause) {
        super(message, cause, null, region);
    }
}
