package io.regionrouter.jdbc;

import io.regionrouter.core.UnknownUserException;
import java.sql.SQLNonTransientException;

/**
 * {@code getConnection()} was asked for the REGULATED data of a user that the region directory does
 * not know, so there is no home region to route to. Nothing was sent to the database.
 *
 * <p>Non-transient, with SQLState {@value #SQL_STATE} (no data found). The cause is the
 * {@link UnknownUserException}, which names the user.
 */
public class UnknownUserSQLException extends SQLNonTransientException {

    /** The SQLState: {@value}. */
    public static final String SQL_STATE = "P0002";

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception; the message is the cause's.
     *
     * @param cause the routing detail
     */
    public UnknownUserSQLException(UnknownUserException cause) {
        super(cause.getMessage(), SQL_STATE, cause);
    }
}
