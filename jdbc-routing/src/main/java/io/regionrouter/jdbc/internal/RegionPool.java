package io.regionrouter.jdbc.internal;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionHealth;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;

/**
 * One region's connection source. Failures to get a connection are reported to {@link RegionHealth}
 * as failures of the region; the first success after a failure is reported as a success. Thread-safe.
 *
 * <p>A failover {@link #switchTo switches} the region to another data source under a higher epoch.
 * A connection is handed out only if the epoch it was taken under is still the current one, so no
 * caller ever gets a connection of an endpoint with an older epoch.
 */
public final class RegionPool {

    private final Region region;
    private final AtomicReference<Target> target;
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
        this.target = new AtomicReference<>(new Target(Objects.requireNonNull(dataSource, "dataSource"), 0));
        this.health = Objects.requireNonNull(health, "health");
    }

    /** The region. */
    public Region region() {
        return region;
    }

    /** The current underlying pool. */
    public DataSource dataSource() {
        return target.get().dataSource();
    }

    /** The current epoch: 0 at start, raised by every {@link #switchTo switch}. */
    public long epoch() {
        return target.get().epoch();
    }

    /**
     * Switches the region to another data source, such as the pool of a promoted standby. From now
     * on only connections of the new data source are handed out.
     *
     * @param dataSource the new data source
     * @param epoch the new epoch; must be higher than the current one
     * @return the data source it replaced
     * @throws IllegalStateException if epoch is not higher than the current epoch
     */
    public DataSource switchTo(DataSource dataSource, long epoch) {
        Target next = new Target(Objects.requireNonNull(dataSource, "dataSource"), epoch);
        while (true) {
            Target current = target.get();
            if (epoch <= current.epoch()) {
                throw new IllegalStateException("region " + region + ": epoch must be higher than the current epoch "
                        + current.epoch() + ", but was " + epoch);
            }
            if (target.compareAndSet(current, next)) {
                return current.dataSource();
            }
        }
    }

    /**
     * Takes a connection from the pool.
     *
     * @return the connection, whose session is bound to the region
     * @throws SQLException as the pool throws it; connection failures are reported to the health monitor first
     */
    public Connection getConnection() throws SQLException {
        Connection connection;
        while (true) {
            Target taken = target.get();
            try {
                connection = taken.dataSource().getConnection();
            } catch (SQLException e) {
                if (target.get() != taken) {
                    continue; // switched while we waited on the old endpoint: use the new one
                }
                if (isConnectionFailure(e)) {
                    lastCallFailed = true;
                    health.recordFailure(region, e);
                }
                throw e;
            }
            if (target.get() == taken) {
                break;
            }
            connection.close(); // switched during the checkout: never hand out an older epoch's connection
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
        return "RegionPool[" + region + ", epoch=" + epoch() + "]";
    }

    private record Target(DataSource dataSource, long epoch) {
    }
}
