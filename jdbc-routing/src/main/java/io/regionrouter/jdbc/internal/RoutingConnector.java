package io.regionrouter.jdbc.internal;

import io.regionrouter.core.DataClass;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionContext;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.RegionUnavailableException;
import io.regionrouter.core.Store;
import io.micrometer.observation.Observation;
import io.regionrouter.jdbc.CheckoutObservationContext;
import io.regionrouter.jdbc.JdbcObservation;
import io.regionrouter.jdbc.NoRegionContextSQLException;
import io.regionrouter.jdbc.RegionUnavailableSQLException;
import io.regionrouter.jdbc.ResidencyViolationSQLException;
import io.regionrouter.jdbc.UnknownUserSQLException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the region for a {@link RegionContext} and takes a connection from its pool, all within one
 * budget.
 *
 * <ul>
 *   <li>The router decides, for this connector's {@link Store}: {@link RegionRouter#routeCurrent}
 *       for the context bound to the thread (decided once per scope), {@link RegionRouter#route}
 *       for a fixed context. REGULATED writes go only where writing is allowed, reads may fall back
 *       within the residency rules, and a region whose store is DOWN is skipped without asking its
 *       pool. A context that names a region gets that region or, while its store is DOWN, a
 *       {@link RegionUnavailableSQLException}; it never falls back.</li>
 *   <li>The first call of a context on a thread looks the user's home region up on a
 *       {@link DirectoryGate} thread and waits at most the budget, because a directory lookup may
 *       block (unless the directory is an in-memory one that cannot). Later calls of that context
 *       decide on the caller's thread, from the scope's decision or the directory's warm cache: no
 *       clock read, no lock, no allocation but the connection's wrapper.</li>
 *   <li>The checkout gets what is left of the budget, capped by the pool's own
 *       {@code connectionTimeout}. If the database could not be reached, the next healthy region
 *       among the router's candidates for the same access gets what is left after that.</li>
 *   <li>Routing failures surface as the {@link SQLException}s of {@link RoutingFailures}.</li>
 * </ul>
 * Thread-safe.
 */
public final class RoutingConnector implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RoutingConnector.class);

    private final RegionRouter router;
    private final Store store;
    /** The pools, looked up by the router's own Region instances first: a few regions, no hashing. */
    private final RegionPool[] pools;
    private final long budgetNanos;
    private final long budgetMillis;
    private final LongSupplier ticker;
    private final DirectoryGate gate;
    private final ThreadLocal<Decided> decided = ThreadLocal.withInitial(Decided::new);

    /**
     * Creates the connector.
     *
     * @param router the router
     * @param store the store whose health counts
     * @param pools one pool per region of the router's topology
     * @param budget the most one {@link #connect} may take, directory lookup and fallbacks included
     * @param ticker monotonic time in nanoseconds
     */
    public RoutingConnector(RegionRouter router, Store store, Map<Region, RegionPool> pools, Duration budget,
            LongSupplier ticker) {
        this.router = Objects.requireNonNull(router, "router");
        this.store = Objects.requireNonNull(store, "store");
        this.pools = pools.values().toArray(new RegionPool[0]);
        this.budgetNanos = budget.toNanos();
        this.budgetMillis = budget.toMillis();
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.gate = DirectoryGate.mayBlock(router.directory()) ? new DirectoryGate(router, store.name()) : null;
    }

    /** The router. */
    public RegionRouter router() {
        return router;
    }

    /** The store whose health this connector consults and feeds. */
    public Store store() {
        return store;
    }

    /**
     * Returns a connection for the context bound to the current thread.
     *
     * @param current the context of the thread's innermost open scope
     * @return a connection bound to the chosen region
     * @throws SQLException see the class description
     */
    public RoutedConnection connectCurrent(RegionContext current) throws SQLException {
        return router.observationRegistry().isNoop() ? connect(current, true) : observedConnect(current, true);
    }

    /**
     * Returns a connection for a context that is not (or need not be) the thread's.
     *
     * @param context the context
     * @return a connection bound to the chosen region
     * @throws SQLException see the class description
     */
    public RoutedConnection connect(RegionContext context) throws SQLException {
        return router.observationRegistry().isNoop() ? connect(context, false) : observedConnect(context, false);
    }

    /**
     * A checkout inside its observation; the routing decision's observation, on this thread, is its
     * child, and the connection observes its statements.
     */
    private RoutedConnection observedConnect(RegionContext context, boolean current) throws SQLException {
        CheckoutObservationContext observed = new CheckoutObservationContext(store);
        Observation observation = JdbcObservation.CHECKOUT.observation(null, JdbcObservation.CheckoutConvention.INSTANCE,
                () -> observed, router.observationRegistry()).start();
        try (Observation.Scope scope = observation.openScope()) {
            RoutedConnection connection = connect(context, current);
            observed.ended(connection.region(), "ok");
            connection.observeStatements(router.observationRegistry(), store, observation);
            return connection;
        } catch (SQLException | RuntimeException e) {
            observed.ended(null, outcome(e));
            observation.error(e);
            throw e;
        } finally {
            observation.stop();
        }
    }

    private static String outcome(Exception e) {
        if (e instanceof RegionUnavailableSQLException) {
            return "unavailable";
        }
        if (e instanceof ResidencyViolationSQLException || e instanceof NoRegionContextSQLException
                || e instanceof UnknownUserSQLException) {
            return "refused";
        }
        return "error";
    }

    /**
     * Decides the region of a context within the budget, without taking a connection.
     *
     * @param context the context
     * @return the region the router chooses
     * @throws SQLException as {@link #connect} does for routing failures
     */
    public Region route(RegionContext context) throws SQLException {
        Decided d = decided.get();
        return d.context == context ? decide(context, false) : decideFirst(context, false, d);
    }

    private RoutedConnection connect(RegionContext context, boolean current) throws SQLException {
        Decided d = decided.get();
        long spent = 0;
        Region first;
        if (d.context == context) {
            first = decide(context, current);
        } else {
            long start = ticker.getAsLong();
            first = decideFirst(context, current, d);
            spent = Math.max(1, ticker.getAsLong() - start);
        }
        RegionPool pool = pool(first);
        boolean explicit = context.region().isPresent();
        if (explicit && !pool.health().isUp()) {
            throw new RegionUnavailableSQLException(new RegionUnavailableException("region " + first + " is DOWN for "
                    + store + " and the RegionContext names it explicitly", context.userId().orElse(null),
                    List.of(first), null));
        }
        long leftMillis = spent == 0 ? budgetMillis : RegionPool.ceilMillis(budgetNanos - spent);
        if (leftMillis <= 0) {
            throw new RegionUnavailableSQLException(new RegionUnavailableException("no time was left to take a "
                    + store + " connection in region " + first + ": routing " + context + " used up the connection"
                    + " budget of " + budgetMillis + " ms", context.userId().orElse(null), List.of(first), null));
        }
        try {
            return pool.checkout(leftMillis);
        } catch (SQLException e) {
            if (!Failures.isUnreachable(e)) {
                throw e;
            }
            long left = budgetNanos - spent - consumed(pool, leftMillis);
            if (explicit) {
                throw unreachable(context, List.of(first), e);
            }
            return fallback(context, first, e, left);
        }
    }

    /** Routes on the caller's thread: the scope's decision, or the directory's cache, answers. */
    private Region decide(RegionContext context, boolean current) throws SQLException {
        try {
            return current ? router.routeCurrent(store) : router.route(store, context);
        } catch (RuntimeException e) {
            throw RoutingFailures.toSql(e);
        }
    }

    /**
     * Routes a context this thread has not routed last: a directory lookup it needs runs on the
     * gate, within the budget, and then the routing runs on the caller's thread against a warm
     * directory. The context counts as routed once the lookup answered, even if the routing then
     * fails (its regions DOWN), so failing calls do not pay the gate again.
     */
    private Region decideFirst(RegionContext context, boolean current, Decided d) throws SQLException {
        try {
            String user = context.userId().orElse(null);
            if (gate != null && user != null && context.dataClass() == DataClass.REGULATED) {
                gate.homeRegion(user, budgetNanos);
            }
        } catch (RuntimeException e) {
            throw RoutingFailures.toSql(e);
        }
        d.context = context;
        return decide(context, current);
    }

    private RoutedConnection fallback(RegionContext context, Region failed, SQLException failure, long leftNanos)
            throws SQLException {
        String user = context.userId().orElse(null);
        List<Region> candidates;
        try {
            candidates = router.candidates(user, context.dataClass(), context.access());
        } catch (RuntimeException e) {
            throw RoutingFailures.toSql(e);
        }
        List<Region> tried = new ArrayList<>();
        tried.add(failed);
        SQLException last = failure;
        long left = leftNanos;
        for (int i = candidates.indexOf(failed) + 1; i < candidates.size() && left > 0; i++) {
            Region next = candidates.get(i);
            RegionPool pool = pool(next);
            if (!pool.health().isUp()) {
                continue;
            }
            tried.add(next);
            long given = RegionPool.ceilMillis(left);
            try {
                RoutedConnection connection = pool.checkout(given);
                LOG.debug("region {} could not be reached, fell back to {} for {}", failed, next, context);
                return connection;
            } catch (SQLException e) {
                e.addSuppressed(last);
                if (!Failures.isUnreachable(e)) {
                    throw e;
                }
                last = e;
                left -= consumed(pool, given);
            }
        }
        throw unreachable(context, tried, last);
    }

    /** What a failed checkout took of the budget: HikariCP gives up only at its timeout; others apply their own. */
    private static long consumed(RegionPool pool, long givenMillis) {
        return pool.waitsWholeTimeout()
                ? TimeUnit.MILLISECONDS.toNanos(Math.min(givenMillis, pool.connectionTimeoutMillis())) : 0;
    }

    private RegionUnavailableSQLException unreachable(RegionContext context, List<Region> tried, SQLException last) {
        return new RegionUnavailableSQLException(new RegionUnavailableException(store + " could not be reached in "
                + tried + " within the connection budget of " + budgetMillis + " ms for " + context + ": "
                + last.getMessage(), context.userId().orElse(null), List.copyOf(tried), last));
    }

    /**
     * Returns the pool of a region.
     *
     * @param region a region of the topology
     * @return its pool
     * @throws IllegalArgumentException if the region has no pool
     */
    public RegionPool pool(Region region) {
        for (RegionPool pool : pools) {
            if (pool.region() == region) {
                return pool;
            }
        }
        for (RegionPool pool : pools) {
            if (pool.region().equals(region)) {
                return pool;
            }
        }
        throw new IllegalArgumentException("region " + region + " has no pool; configured regions: "
                + router.topology().regions());
    }

    /** Stops the directory lookup threads. */
    @Override
    public void close() {
        if (gate != null) {
            gate.close();
        }
    }

    /**
     * The context this thread routed last, whose user's home region the directory has therefore
     * just answered: routing it again, even after a health change, finds the directory warm.
     */
    private static final class Decided {
        RegionContext context;
    }
}
