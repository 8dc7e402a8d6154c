package io.regionrouter.jdbc;

import io.regionrouter.core.RegionRouterException;

/**
 * A thread without a {@link io.regionrouter.core.RegionContext} asked for routing and no default
 * region was configured. {@link RegionRoutingDataSource#currentRegion()} throws it;
 * {@link RegionRoutingDataSource#getConnection()} throws a {@link NoRegionContextSQLException} with
 * this exception as its cause.
 */
public class NoRegionContextException extends RegionRouterException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the message
     */
    public NoRegionContextException(String message) {
        super(message);
    }
}
