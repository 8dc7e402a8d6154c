package io.regionrouter.core;

import java.util.Optional;

/**
 * Root of all exceptions thrown by region-router. Unchecked.
 *
 * <p>Subtypes carry the context a caller can act on: the user and the region involved, where known,
 * and always the cause when there is one.
 */
public class RegionRouterException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String userId;
    private final Region region;

    /**
     * Creates an exception with a message.
     *
     * @param message the message
     */
    public RegionRouterException(String message) {
        this(message, null, null, null);
    }

    /**
     * Creates an exception with a message and a cause.
     *
     * @param message the message
     * @param cause the cause, may be null
     */
    public RegionRouterException(String message, Throwable cause) {
        this(message, cause, null, null);
    }

    /**
     * Creates an exception with full context.
     *
     * @param message the message
     * @param cause the cause, may be null
     * @param userId the user involved, may be null
     * @param region the region involved, may be null
     */
    public RegionRouterException(String message, Throwable cause, String userId, Region region) {
        super(message, cause);
        this.userId = userId;
        this.region = region;
    }

    /** Returns the user involved, if any. */
    public Optional<String> userId() {
        return Optional.ofNullable(userId);
    }

    /** Returns the region involved, if any. */
    public Optional<Region> region() {
        return Optional.ofNullable(region);
    }
}
