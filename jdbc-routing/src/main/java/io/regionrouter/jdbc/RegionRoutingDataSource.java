package io.regionrouter.jdbc;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionContext;
import io.regionrouter.jdbc.internal.RoutingConnector;
import io.regionrouter.jdbc.replication.internal.ReplicaReads;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} that picks a region's pool on every {@link #getConnection()}.
 *
 * <p>The instance returned by {@link RegionalDataSources#routingDataSource()} reads the thread's
 * {@link RegionContext}: REGULATED data (the default) goes to the user's home region, or to the
 * next healthy region its residency rules allow, and GLOBAL reads and writes go where the
 * {@link io.regionrouter.core.RegionRouter} sends them. A context that names a region explicitly
 * uses that region; for REGULATED data of a user the region must be allowed, otherwise a
 * {@link io.regionrouter.core.ResidencyViolationException} is thrown before any SQL runs. A region
 * that is DOWN is never asked for a connection: the call fails at once with
 * {@link io.regionrouter.core.RegionUnavailableException} or goes to an allowed fallback.
 *
 * <p>Without a context, {@link #getConnection()} throws {@link NoRegionContextException}, unless
 * {@link RegionalDataSources.Builder#defaultRegion(Region)} was configured.
 *
 * <p>With read replicas configured ({@link RegionalDataSources.Builder#replica}), a connection takes
 * its physical connection only at its first statement: a replica of the routed region if the
 * connection was marked read-only by then (or the context's access is READ) and the replica's lag
 * is within the bound, the region's primary otherwise. Routing failures such as
 * {@link io.regionrouter.core.RegionUnavailableException} then surface at that first statement
 * instead of in {@code getConnection()}. This is what makes Spring's
 * {@code @Transactional(readOnly = true)}, which marks the connection after taking it, use replicas.
 *
 * <p>With Spring, declare it as the {@code DataSource} bean; {@code JdbcTemplate} and
 * {@code DataSourceTransactionManager} work unchanged. A transaction keeps the connection it took
 * when it began, so open the {@code RegionContext} before the transactional method is called.
 *
 * <p>Thread-safe.
 */
public final class RegionRoutingDataSource implements DataSource {

    private final RoutingConnector connector;
    private final ReplicaReads replicaReads;
    private final Supplier<Optional<RegionContext>> contextSource;
    private final Region defaultRegion;
    private final String description;
    private volatile PrintWriter logWriter;
    private volatile int loginTimeoutSeconds;

    RegionRoutingDataSource(RoutingConnector connector, Supplier<Optional<RegionContext>> contextSource,
            Region defaultRegion, String description) {
        this(connector, null, contextSource, defaultRegion, description);
    }

    RegionRoutingDataSource(RoutingConnector connector, ReplicaReads replicaReads,
            Supplier<Optional<RegionContext>> contextSource, Region defaultRegion, String description) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.replicaReads = replicaReads;
        this.contextSource = Objects.requireNonNull(contextSource, "contextSource");
        this.defaultRegion = defaultRegion;
        this.description = description;
    }

    /**
     * Returns a connection from the pool of the region chosen for the current context. Its session
     * has the region bound as the configured session setting.
     *
     * @throws NoRegionContextException if no context is bound and no default region is configured
     * @throws io.regionrouter.core.RegionUnavailableException if no region the context may use is UP
     * @throws io.regionrouter.core.ResidencyViolationException if the context names a region the user's residency forbids
     * @throws SQLException if the chosen pools failed to provide a connection
     */
    @Override
    public Connection getConnection() throws SQLException {
        RegionContext context = currentContext();
        return replicaReads == null ? connector.connect(context) : replicaReads.connection(context);
    }

    /**
     * Not supported: every region's pool has its own credentials.
     *
     * @throws SQLFeatureNotSupportedException always
     */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException(
                "RegionRoutingDataSource does not take per-call credentials; configure them per region in RegionPoolConfig");
    }

    /**
     * The region the current context would use if every region were UP: the explicit region, or the
     * user's home region, or the router's choice for GLOBAL data. For diagnostics.
     *
     * @return the region
     * @throws NoRegionContextException if no context is bound and no default region is configured
     */
    public Region currentRegion() {
        RegionContext context = currentContext();
        if (context.region().isPresent()) {
            return context.region().get();
        }
        return connector.router().route(context.userId().orElse(null), context.dataClass(), context.access());
    }

    private RegionContext currentContext() {
        Optional<RegionContext> context = contextSource.get();
        if (context.isPresent()) {
            return context.get();
        }
        if (defaultRegion != null) {
            return RegionContext.forRegion(defaultRegion);
        }
        throw new NoRegionContextException("no RegionContext is bound to thread " + Thread.currentThread().getName()
                + "; open one with RegionContext.forUser(userId).open() (or .forRegion/.global), or configure"
                + " RegionalDataSources.builder(router).defaultRegion(region) for applications without regulated data");
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    /** Stored and returned only; each region's pool applies its own connect and login timeouts. */
    @Override
    public void setLoginTimeout(int seconds) {
        this.loginTimeoutSeconds = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeoutSeconds;
    }

    @Override
    public Logger getParentLogger() {
        return Logger.getLogger("io.regionrouter.jdbc");
    }

    /**
     * Returns this object for any interface it implements. It does not unwrap to a region's pool,
     * because which pool is meant depends on the context; use {@link RegionalDataSources#pool(Region)}.
     */
    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface != null && iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("RegionRoutingDataSource is not a wrapper for " + (iface == null ? null : iface.getName()));
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface != null && iface.isInstance(this);
    }

    @Override
    public String toString() {
        return "RegionRoutingDataSource[" + description + "]";
    }
}
