package io.regionrouter.examples.spring;

/**
 * The user already has a profile, or already lives in another home region. Its message is shown to
 * the caller as it is, so it names no user and no region; {@link ProfileService} logs the detail.
 */
public class ProfileConflictException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what the caller is told; names no user and no region
     * @param cause the cause, may be null
     */
    public ProfileConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
