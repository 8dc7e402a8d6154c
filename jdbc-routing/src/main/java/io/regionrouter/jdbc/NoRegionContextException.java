package io.regionrouter.jdbc;

import io.regionrouter.core.RegionRouterException;

/**
 * {@link RegionRoutingDataSource#getConnection()} was called on a thread without a
 * {@link io.regionrouter.core.RegionContext} and no default region was configured.
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
