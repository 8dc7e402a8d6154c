package io.regionrouter.jdbc;

import io.regionrouter.core.ResidencyViolationException;
import java.sql.SQLInvalidAuthorizationSpecException;

/**
 * {@code getConnection()} refused a region that the user's residency rules forbid: a context naming
 * a region that may not hold the user's REGULATED data, or may not take writes of it. Checked before
 * any SQL runs. Retrying does not help.
 *
 * <p>Non-transient, with SQLState {@value #SQL_STATE} (insufficient privilege); Spring translates it
 * into a {@code PermissionDeniedDataAccessException}. The cause is the
 * {@link ResidencyViolationException}, which names the user, the home region and the refused region.
 */
public class ResidencyViolationSQLException extends SQLInvalidAuthorizationSpecException {

    /** The SQLState: {@value}. */
    public static final String SQL_STATE = "42501";

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception; the message is the cause's.
     *
     * @param cause the router's verdict
     */
    public ResidencyViolationSQLException(ResidencyViolationException cause) {
        super(cause.getMessage(), SQL_STATE, cause);
    }

    /** The router's verdict: the user, the home region and the refused region. */
    @Override
    public synchronized ResidencyViolationException getCause() {
        return (ResidencyViolationException) super.getCause();
    }
}
