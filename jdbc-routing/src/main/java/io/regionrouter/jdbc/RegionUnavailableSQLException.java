package io.regionrouter.jdbc;

import io.regionrouter.core.DirectoryLookupException;
import io.regionrouter.core.RegionRouterException;
import io.regionrouter.core.RegionUnavailableException;
import java.sql.SQLTransientConnectionException;

/**
 * {@code getConnection()} found no region that may serve the request and answers: every region the
 * routing rules allow is DOWN, the chosen region could not be reached within the connection budget,
 * or the region directory could not say within the budget where the user lives. Nothing was sent to
 * the database, so the call can be retried as it is once a region is back.
 *
 * <p>Transient, with SQLState {@value #SQL_STATE} (SQL client unable to establish SQL connection),
 * so Spring translates it into a {@code TransientDataAccessResourceException} when it reaches
 * {@code JdbcTemplate}'s translator (see {@link RegionRoutingDataSource} for the wiring). The cause
 * is the routing detail: a {@link RegionUnavailableException} (which regions were tried) or a
 * {@link DirectoryLookupException} (which user, and why the directory failed).
 */
public class RegionUnavailableSQLException extends SQLTransientConnectionException {

    /** The SQLState: {@value}. */
    public static final String SQL_STATE = "08001";

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception; the message is the cause's.
     *
     * @param cause a {@link RegionUnavailableException} or a {@link DirectoryLookupException}
     */
    public RegionUnavailableSQLException(RegionRouterException cause) {
        super(cause.getMessage(), SQL_STATE, cause);
    }
}
