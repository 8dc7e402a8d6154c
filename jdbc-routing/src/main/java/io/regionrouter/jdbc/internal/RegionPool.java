package io.regionrouter.jdbc.internal;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.regionrouter.core.Region;
import io.regionrouter.core.StoreHealth;
import io.regionrouter.core.support.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;

/**
 * One region's connection source, bound to the health of its store in that region. Thread-safe.
 *
 * <ul>
 *   <li>A checkout takes a timeout: a HikariCP pool waits at most that long (its own
 *       {@code connectionTimeout} no longer applies), so a caller's budget covers the checkout.
 *       Any other {@link DataSource} is asked as it is and applies its own timeouts.</li>
 *   <li>A checkout that fails because the database could not be reached (see {@link Failures}) is
 *       reported to the store's health. A pool that is merely exhausted is not. Connections are
 *       handed out as {@link RoutedConnection}s, which report the call's outcome when closed.</li>
 *   <li>A failover {@link #switchTo switches} the region to another data source under a higher
 *       epoch. A connection is handed out only if the epoch it was taken under is still the
 *       current one, so no caller ever gets a connection of an endpoint with an older epoch.</li>
 * </ul>
 */
public final class RegionPool {

    private final Region region;
    private final StoreHealth health;
    private final AtomicReference<Target> target;
    private final String sessionSetting;

    /**
     * Creates the pool wrapper for pools whose session setting is {@code app.user_region}.
     *
     * @param region the region
     * @param dataSource the region's pool
     * @param health the health of the pool's store in the region, which real calls feed
     */
    public RegionPool(Region region, DataSource dataSource, StoreHealth health) {
        this(region, dataSource, health, "app.user_region");
    }

    /**
     * Creates the pool wrapper.
     *
     * @param region the region
     * @param dataSource the region's pool
     * @param health the health of the pool's store in the region, which real calls feed
     * @param sessionSetting the validated name of the session setting that the pool binds to the region
     */
    public RegionPool(Region region, DataSource dataSource, StoreHealth health, String sessionSetting) {
        this.region = Objects.requireNonNull(region, "region");
        this.health = Objects.requireNonNull(health, "health");
        this.target = new AtomicReference<>(Target.of(Objects.requireNonNull(dataSource, "dataSource"), 0));
        this.sessionSetting = Objects.requireNonNull(sessionSetting, "sessionSetting");
    }

    /**
     * Keeps a connection whose session may have changed from reaching the next borrower: a HikariCP
     * connection is evicted (closed by the pool, which opens a fresh one that runs the init SQL);
     * with any other data source the region setting is bound again.
     *
     * @param connection the pool's connection, still open
     * @param hikari the HikariCP pool it was taken from, or null
     * @throws SQLException if the setting cannot be bound again
     */
    void evict(Connection connection, HikariDataSource hikari) throws SQLException {
        if (hikari != null) {
            hikari.evictConnection(connection);
            return;
        }
        try (java.sql.Statement st = connection.createStatement()) {
            st.execute(Sql.bindRegion(sessionSetting, region.id()));
        }
    }

    /** The region. */
    public Region region() {
        return region;
    }

    /** The health of this pool's store in its region. */
    public StoreHealth health() {
        return health;
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
     * The longest a checkout waits on its own, in milliseconds: the HikariCP pool's
     * {@code connectionTimeout}, or {@link Long#MAX_VALUE} for another data source.
     */
    public long connectionTimeoutMillis() {
        return target.get().connectionTimeoutMillis();
    }

    /**
     * Whether a checkout that failed is known to have waited the whole timeout it was given: true
     * for HikariCP, which only gives up at its timeout.
     */
    public boolean waitsWholeTimeout() {
        return target.get().hikari() != null;
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
        Target next = Target.of(Objects.requireNonNull(dataSource, "dataSource"), epoch);
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
     * Takes a connection from the pool with the pool's own timeout.
     *
     * @return the connection, whose session is bound to the region
     * @throws SQLException as the pool throws it; unreachable databases are reported to the health first
     */
    public RoutedConnection getConnection() throws SQLException {
        return checkout(Long.MAX_VALUE);
    }

    /**
     * Takes a connection from the pool, waiting at most {@code timeoutMillis} (and never longer than
     * the pool's own {@code connectionTimeout}).
     *
     * @param timeoutMillis the most a HikariCP pool may wait; ignored by other data sources
     * @return the connection, whose session is bound to the region
     * @throws SQLException as the pool throws it; unreachable databases are reported to the health first
     */
    public RoutedConnection checkout(long timeoutMillis) throws SQLException {
        while (true) {
            Target taken = target.get();
            Connection connection;
            try {
                connection = taken.take(timeoutMillis);
            } catch (SQLException e) {
                if (target.get() != taken) {
                    continue; // switched while we waited on the old endpoint: use the new one
                }
                if (Failures.isUnreachable(e)) {
                    health.recordFailure(e);
                }
                throw e;
            }
            if (target.get() == taken) {
                return new RoutedConnection(connection, this, taken.autoCommit(connection), taken.hikari());
            }
            connection.close(); // switched during the checkout: never hand out an older epoch's connection
        }
    }

    @Override
    public String toString() {
        return "RegionPool[" + region + ", epoch=" + epoch() + "]";
    }

    /** A data source under an epoch, with HikariCP's pool at hand when there is one. */
    private record Target(DataSource dataSource, long epoch, HikariDataSource hikari, HikariPool hikariPool,
            long connectionTimeoutMillis, boolean hikariAutoCommit) {

        static Target of(DataSource dataSource, long epoch) {
            if (dataSource instanceof HikariDataSource h && h.getHikariPoolMXBean() instanceof HikariPool p) {
                return new Target(dataSource, epoch, h, p, h.getConnectionTimeout(), h.isAutoCommit());
            }
            return new Target(dataSource, epoch, null, null, Long.MAX_VALUE, true);
        }

        Connection take(long timeoutMillis) throws SQLException {
            if (hikariPool == null || hikari.isClosed()) {
                return dataSource.getConnection(); // a closed HikariCP pool says so itself
            }
            return hikariPool.getConnection(Math.min(timeoutMillis, connectionTimeoutMillis));
        }

        boolean autoCommit(Connection connection) throws SQLException {
            // HikariCP resets auto-commit to the pool's default on every return
            return hikari != null ? hikariAutoCommit : connection.getAutoCommit();
        }
    }

    /** Converts a duration in nanoseconds to whole milliseconds, rounding up so a remainder still counts. */
    static long ceilMillis(long nanos) {
        return nanos <= 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(nanos + 999_999);
    }
}
