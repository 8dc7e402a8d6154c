package io.regionrouter.jdbc.failover;

import io.regionrouter.core.Region;

/** The coordination engine could not answer, or this instance does not hold the lease; nothing is promoted. */
public class CoordinatorException extends FailoverException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param region the region
     * @param message what failed
     * @param cause the cause, may be null
     */
    public CoordinatorException(Region region, String message, Throwable cause) {
        super(region, message, cause);
    }
}
