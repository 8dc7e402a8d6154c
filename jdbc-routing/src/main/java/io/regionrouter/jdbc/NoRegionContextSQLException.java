package io.regionrouter.jdbc;

import java.sql.SQLNonTransientException;

/**
 * {@link RegionRoutingDataSource#getConnection()} was called on a thread without a
 * {@link io.regionrouter.core.RegionContext}, and no default region is configured. A programming
 * error: open a context before the database work, or configure
 * {@link RegionalDataSources.Builder#defaultRegion}.
 *
 * <p>Non-transient, with SQLState {@value #SQL_STATE} (object not in prerequisite state). The cause
 * is a {@link NoRegionContextException} with the same message.
 */
public class NoRegionContextSQLException extends SQLNonTransientException {

    /** The SQLState: {@value}. */
    public static final String SQL_STATE = "55000";

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception; the message is the cause's.
     *
     * @param cause the routing detail
     */
    public NoRegionContextSQLException(NoRegionContextException cause) {
        super(cause.getMessage(), SQL_STATE, cause);
    }
}
