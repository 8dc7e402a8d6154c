package io.regionrouter.core;

import java.util.List;

/**
 * No region that a request may use is available. Lists the regions that were tried, in order;
 * {@link #region()} is the first of them.
 */
public class RegionUnavailableException extends RegionRouterException {

    private static final long serialVersionUID = 1L;

    private final List<Region> tried;

    /**
     * Creates the exception with a generated message naming the regions.
     *
     * @param tried the regions that were tried, in order
     */
    public RegionUnavailableException(List<Region> tried) {
        this("no available region among " + tried, null, tried, null);
    }

    /**
     * Creates the exception with a message.
     *
     * @param message the message; it should name the regions
     * @param tried the regions that were tried, in order
     */
    public RegionUnavailableException(String message, List<Region> tried) {
        this(message, null, tried, null);
    }

    /**
     * Creates the exception with a message and a cause.
     *
     * @param message the message; it should name the regions
     * @param tried the regions that were tried, in order
     * @param cause the last failure, may be null
     */
    public RegionUnavailableException(String message, List<Region> tried, Throwable cause) {
        this(message, null, tried, cause);
    }

    /**
     * Creates the exception with full context.
     *
     * @param message the message; it should name the regions
     * @param userId the user, may be null
     * @param tried the regions that were tried, in order
     * @param cause the last failure, may be null
     */
    public RegionUnavailableException(String message, String userId, List<Region> tried, Throwable cause) {
        super(message, cause, userId, tried.isEmpty() ? null : tried.get(0));
        this.tried = List.copyOf(tried);
    }

    /** Returns the regions that were tried, in order. */
    public List<Region> tried() {
        return tried;
    }
}
