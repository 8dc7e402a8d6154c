package io.regionrouter.jdbc.internal;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionHealth;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * One region's connection source. Failures to get a connection are reported to {@link RegionHealth}
 * as failures of the region; the first success after a failure is reported as a success. Thread-safe.
 */
public final class RegionPool {

    private final Region region;
    private final DataSource dataSource;
    private final RegionHealth health;
    private volatile boolean lastCallFailed;

    /**
     * Creates the pool wrapper.
     *
     * @param region the region
     * @param dataSource the region's pool
     * @param health the health monitor that real failures feed
     */
    public RegionPool(Region region, DataSource dataSource, RegionHealth health) {
        this.region = Objects.requireNonNull(region, "region");
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.health = Objects.requireNonNull(health, "health");
    }

    /** The region. */
    public Region region() {
        return region;
    }

    /** The underlying pool. */
    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * Takes a connection from the pool.
     *
     * @return the connection, whose session is bound to the region
     * @throws SQLException as the pool throws it; connection failures are reported to the health monitor first
     */
    public Connection getConnection() throws SQLException {
        Connection connection;
        try {
            connection = dataSource.getConnection();
        } catch (SQLException e) {
            if (isConnectionFailure(e)) {
                lastCallFailed = true;
                health.recordFailure(region, e);
            }
            throw e;
        }
        if (lastCallFailed) {
            lastCallFailed = false;
            health.recordSuccess(region);
        }
        return connection;
    }

    /**
     * Tells whether an exception means the database could not be reached, as opposed to a problem
     * of the caller (a closed pool, bad SQL).
     *
     * @param e the exception
     * @return true for connection failures and timeouts
     */
    public static boolean isConnectionFailure(SQLException e) {
        if (e instanceof SQLTransientConnectionException || e instanceof SQLNonTransientConnectionException) {
            return true;
        }
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("57P"));
    }

    @Override
    public String toString() {
        return "RegionPool[" + region + "]";
    }
}
