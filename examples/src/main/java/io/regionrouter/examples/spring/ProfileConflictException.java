package io.regionrouter.examples.spring;

/** The user already has a profile, or already lives in another home region. */
public class ProfileConflictException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public ProfileConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
