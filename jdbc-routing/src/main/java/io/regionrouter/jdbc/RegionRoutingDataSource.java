package io.regionrouter.jdbc;

import io.regionrouter.core.Access;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionContext;
import io.regionrouter.jdbc.internal.LazyConnection;
import io.regionrouter.jdbc.internal.ReplicaReads;
import io.regionrouter.jdbc.internal.RoutedConnection;
import io.regionrouter.jdbc.internal.RoutingConnector;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} that picks a region's pool for the {@link RegionContext} of each
 * {@link #getConnection()}.
 *
 * <p>{@link RegionalDataSources#routingDataSource()} reads the thread's {@code RegionContext}:
 * REGULATED data (the default) goes to the user's home region; a read may go to the next healthy
 * region its residency rules allow, a write only to a region that may take writes of the user's
 * data (the home region, unless the topology declares it multi-writer); GLOBAL reads and writes go
 * where the {@link io.regionrouter.core.RegionRouter} sends them. A context that names a region uses
 * that region; for REGULATED data of a user it must be allowed, and for a write writable. A region
 * whose store is DOWN is never asked for a connection. The route is decided once per context scope
 * and reused for its later connections until health changes.
 *
 * <p><b>Exceptions.</b> {@code getConnection()} throws only {@link SQLException}s, each with the
 * router's exception as its cause, and takes at most
 * {@link RegionalDataSources.Builder#connectionBudget the connection budget} (default: the pools'
 * {@code connectionTimeout}, 2 s), directory lookup and fallback included:
 * <ul>
 *   <li>{@link RegionUnavailableSQLException} (transient, {@code 08001}): no region that may serve
 *       the request is UP or could be reached, or the region directory did not answer in time;</li>
 *   <li>{@link ResidencyViolationSQLException} ({@code 42501}): the context names a region the
 *       user's residency rules forbid;</li>
 *   <li>{@link UnknownUserSQLException}: the directory does not know the user;</li>
 *   <li>{@link NoRegionContextSQLException}: no context is bound and no
 *       {@link RegionalDataSources.Builder#defaultRegion default region} is configured;</li>
 *   <li>the pool's own {@code SQLException}, such as HikariCP's
 *       {@code SQLTransientConnectionException} when the pool stayed exhausted for the whole
 *       budget.</li>
 * </ul>
 * A statement or commit on a connection of this data source whose outcome is unknown (the link
 * failed after it was sent) throws {@link OutcomeUnknownSQLException}.
 *
 * <p><b>Spring.</b> Spring's {@code DataSourceUtils.getConnection}, which {@code JdbcTemplate} and
 * {@code DataSourceTransactionManager} use, wraps any {@code SQLException} of {@code getConnection()}
 * in a {@code CannotGetJdbcConnectionException}, which is not transient, whatever the cause. So
 * declare {@link RegionalDataSources#lazyRoutingDataSource()} as the Spring {@code DataSource}
 * bean: its connections decide the route and take the pooled connection at their first statement,
 * as Spring's {@code LazyConnectionDataSourceProxy} does, so a routing failure is thrown by that
 * statement and {@code JdbcTemplate} translates it: an unavailable region becomes a
 * {@code TransientDataAccessResourceException} (a {@code TransientDataAccessException}), which a
 * retry on transient failures retries. A connection marked read-only before its first statement
 * (Spring's {@code @Transactional(readOnly = true)}) is routed as a read. Open the
 * {@code RegionContext} before the transactional method is called.
 *
 * <pre>{@code
 * @Bean
 * DataSource dataSource(RegionalDataSources pg) {
 *     return pg.lazyRoutingDataSource();
 * }
 * }</pre>
 *
 * <p>With read replicas configured ({@link RegionalDataSources.Builder#replica}), every routing data
 * source hands out such lazy connections: a replica of the routed region serves a connection that
 * was marked read-only by its first statement (or whose context's access is READ) while the
 * replica's lag is within the bound, the region's primary otherwise.
 *
 * <p>Thread-safe.
 */
public final class RegionRoutingDataSource implements DataSource {

    private final RoutingConnector connector;
    private final ReplicaReads replicaReads;
    private final RegionContext fixedContext;
    private final RegionContext defaultContext;
    private final boolean lazy;
    private final String description;
    private volatile PrintWriter logWriter;
    private volatile int loginTimeoutSeconds;

    /**
     * Creates a data source.
     *
     * @param connector takes the connections
     * @param replicaReads hands out replica-aware lazy connections; null without replicas
     * @param fixedContext the context of every call; null to read the thread's
     * @param defaultRegion the region used when the thread has no context; null for none
     * @param lazy whether connections defer routing and checkout to their first statement
     * @param description for {@link #toString()}
     */
    RegionRoutingDataSource(RoutingConnector connector, ReplicaReads replicaReads, RegionContext fixedContext,
            Region defaultRegion, boolean lazy, String description) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.replicaReads = replicaReads;
        this.fixedContext = fixedContext;
        this.defaultContext = defaultRegion == null ? null : RegionContext.forRegion(defaultRegion);
        this.lazy = lazy;
        this.description = description;
    }

    /**
     * Returns a connection of the region chosen for the current context, whose session has the
     * region bound as the configured session setting. For the lazy data source and with replicas,
     * routing and checkout happen at the connection's first statement, which then throws what this
     * method would.
     *
     * @throws RegionUnavailableSQLException if no region that may serve the context is UP or answers
     *     within the budget, or the directory does not answer within it
     * @throws ResidencyViolationSQLException if the context names a region the user's residency forbids
     * @throws UnknownUserSQLException if the directory does not know the context's user
     * @throws NoRegionContextSQLException if no context is bound and no default region is configured
     * @throws SQLException if the chosen pool failed otherwise, such as staying exhausted
     */
    @Override
    public Connection getConnection() throws SQLException {
        if (fixedContext != null) {
            return open(fixedContext, false);
        }
        Optional<RegionContext> current = RegionContext.current();
        if (current.isPresent()) {
            return open(current.get(), true);
        }
        if (defaultContext != null) {
            return open(defaultContext, false);
        }
        NoRegionContextSQLException missing = noContext();
        if (lazy) {
            return LazyConnection.create(new Deferred(connector, null, missing));
        }
        throw missing;
    }

    private Connection open(RegionContext context, boolean current) throws SQLException {
        if (replicaReads != null) {
            return replicaReads.connection(context);
        }
        if (lazy) {
            return LazyConnection.create(new Deferred(connector, context, null));
        }
        return current ? connector.connectCurrent(context) : connector.connect(context);
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
     * user's home region, or the router's first choice for GLOBAL data. For diagnostics.
     *
     * @return the region
     * @throws NoRegionContextException if no context is bound and no default region is configured
     */
    public Region currentRegion() {
        RegionContext context = fixedContext != null ? fixedContext
                : RegionContext.current().orElse(defaultContext);
        if (context == null) {
            throw (NoRegionContextException) noContext().getCause();
        }
        if (context.region().isPresent()) {
            return context.region().get();
        }
        return connector.router().candidates(context.userId().orElse(null), context.dataClass(), context.access())
                .get(0);
    }

    private static NoRegionContextSQLException noContext() {
        return new NoRegionContextSQLException(new NoRegionContextException("no RegionContext is bound to thread "
                + Thread.currentThread().getName() + "; open one with RegionContext.forUser(userId).open() (or"
                + " .forRegion/.global), or configure RegionalDataSources.builder(router).defaultRegion(region) for"
                + " applications without regulated data"));
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

    /**
     * Routes a lazy connection at its first statement. A connection marked read-only by then is
     * routed as a read, so it may fall back within the residency rules.
     */
    private static final class Deferred implements LazyConnection.TargetSource {
        private final RoutingConnector connector;
        private final RegionContext context;
        private final NoRegionContextSQLException missing;
        private String description;

        Deferred(RoutingConnector connector, RegionContext context, NoRegionContextSQLException missing) {
            this.connector = connector;
            this.context = context;
            this.missing = missing;
        }

        @Override
        public Connection open(boolean readOnly) throws SQLException {
            if (context == null) {
                throw missing;
            }
            RoutedConnection c;
            if (readOnly && context.access() != Access.READ) {
                c = connector.connect(context.withAccess(Access.READ));
            } else if (RegionContext.current().orElse(null) == context) {
                c = connector.connectCurrent(context);
            } else {
                c = connector.connect(context);
            }
            description = "region " + c.region();
            return c;
        }

        @Override
        public void beforeClose(Connection target) {
            // nothing to record: the routed connection reports its own outcome
        }

        @Override
        public String describe() {
            return description;
        }
    }
}
