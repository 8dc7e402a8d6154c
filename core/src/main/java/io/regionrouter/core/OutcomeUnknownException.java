package io.regionrouter.core;

/**
 * A write was sent but its outcome is unknown: the link failed or the call ran out of time after the
 * request may have reached the server, so the write <em>may have been applied</em>. Retry only
 * what is idempotent, or read back first. The cause holds the underlying failure.
 *
 * <p>Distinct from {@link RegionUnavailableException}, which means nothing was sent.
 */
public class OutcomeUnknownException extends RegionRouterException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was being written and where; it should say that the write may have been applied
     * @param cause the failure that left the outcome unknown
     * @param userId the user, may be null
     * @param region the region the write was sent to, may be null
     */
    public OutcomeUnknownException(String message, Throwable cause, String userId, Region region) {
        super(message, cause, userId, region);
    }
}
