package io.regionrouter.core;

/**
 * The region directory has no home region for a user.
 *
 * <p>This is an answer, not a failure of the directory: a directory that fails throws
 * {@link DirectoryLookupException} instead.
 */
public class UnknownUserException extends RegionRouterException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param userId the user without a home region
     */
    public UnknownUserException(String userId) {
        super("no home region is known for user " + userId, null, userId, null);
    }
}
