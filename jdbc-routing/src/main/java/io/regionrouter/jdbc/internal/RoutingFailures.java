package io.regionrouter.jdbc.internal;

import io.regionrouter.core.DirectoryLookupException;
import io.regionrouter.core.RegionUnavailableException;
import io.regionrouter.core.ResidencyViolationException;
import io.regionrouter.core.UnknownUserException;
import io.regionrouter.jdbc.NoRegionContextException;
import io.regionrouter.jdbc.NoRegionContextSQLException;
import io.regionrouter.jdbc.RegionUnavailableSQLException;
import io.regionrouter.jdbc.ResidencyViolationSQLException;
import io.regionrouter.jdbc.UnknownUserSQLException;
import java.sql.SQLException;

/**
 * Turns the router's unchecked exceptions into the {@link SQLException}s that
 * {@code DataSource.getConnection()} may throw, each with the router's exception as its cause.
 */
public final class RoutingFailures {

    private RoutingFailures() {
    }

    /**
     * The SQL exception for a routing failure.
     *
     * @param e what the router threw
     * @return the exception to throw from {@code getConnection()}
     * @throws RuntimeException {@code e} itself when it is not a routing failure, such as a bug
     */
    public static SQLException toSql(RuntimeException e) {
        if (e instanceof RegionUnavailableException unavailable) {
            return new RegionUnavailableSQLException(unavailable);
        }
        if (e instanceof DirectoryLookupException directory) {
            return new RegionUnavailableSQLException(directory);
        }
        if (e instanceof ResidencyViolationException residency) {
            return new ResidencyViolationSQLException(residency);
        }
        if (e instanceof UnknownUserException unknown) {
            return new UnknownUserSQLException(unknown);
        }
        if (e instanceof NoRegionContextException noContext) {
            return new NoRegionContextSQLException(noContext);
        }
        throw e;
    }
}
