package io.regionrouter.jdbc.internal;

import io.regionrouter.core.DataClass;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionContext;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.RegionUnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the region for a {@link RegionContext} and takes a connection from its pool.
 *
 * <ul>
 *   <li>A context with an explicit region uses that region only. For REGULATED data of a named user
 *       the region must be allowed by the user's residency rules, checked before any SQL runs.</li>
 *   <li>Otherwise {@link RegionRouter#route(String, DataClass, io.regionrouter.core.Access)} decides;
 *       it skips regions that are DOWN without asking their pools.</li>
 *   <li>When the chosen pool cannot connect, the failure is reported to {@link RegionHealth} and the
 *       next healthy region among the router's candidates is tried; for REGULATED data those are the
 *       allowed regions only.</li>
 * </ul>
 * Thread-safe.
 */
public final class RoutingConnector {

    private static final Logger LOG = LoggerFactory.getLogger(RoutingConnector.class);

    private final RegionRouter router;
    private final RegionHealth health;
    private final Map<Region, RegionPool> pools;

    /**
     * Creates the connector.
     *
     * @param router the router
     * @param pools one pool per region of the router's topology
     */
    public RoutingConnector(RegionRouter router, Map<Region, RegionPool> pools) {
        this.router = Objects.requireNonNull(router, "router");
        this.health = router.health();
        this.pools = Map.copyOf(pools);
    }

    /** The router. */
    public RegionRouter router() {
        return router;
    }

    /**
     * Returns a connection for the context.
     *
     * @param context the context
     * @return a connection bound to the chosen region
     * @throws SQLException when the chosen region's pool (and every fallback) failed
     */
    public Connection connect(RegionContext context) throws SQLException {
        String user = context.userId().orElse(null);
        Optional<Region> explicit = context.region();
        if (explicit.isPresent()) {
            return connectExplicit(context, user, explicit.get());
        }
        if (user == null && context.dataClass() == DataClass.REGULATED) {
            throw new IllegalStateException("RegionContext for REGULATED data names neither a user nor a region: "
                    + context + "; use RegionContext.forUser(userId) or .global(access) for GLOBAL data");
        }
        Region first = router.route(user, context.dataClass(), context.access());
        try {
            return pool(first).getConnection();
        } catch (SQLException e) {
            if (!RegionPool.isConnectionFailure(e)) {
                throw e;
            }
            return fallback(context, user, first, e);
        }
    }

    private Connection connectExplicit(RegionContext context, String user, Region target) throws SQLException {
        RegionPool pool = pool(target);
        if (user != null && context.dataClass() == DataClass.REGULATED) {
            router.checkResidency(user, target);
        }
        if (!health.isUp(target)) {
            throw new RegionUnavailableException("region " + target + " is DOWN and the RegionContext names it explicitly",
                    user, List.of(target), null);
        }
        return pool.getConnection();
    }

    private Connection fallback(RegionContext context, String user, Region failed, SQLException failure)
            throws SQLException {
        List<Region> candidates = router.candidates(user, context.dataClass(), context.access());
        int index = candidates.indexOf(failed);
        SQLException last = failure;
        for (int i = index + 1; i < candidates.size(); i++) {
            Region next = candidates.get(i);
            if (!health.isUp(next)) {
                continue;
            }
            try {
                Connection connection = pool(next).getConnection();
                LOG.debug("region {} failed to connect, fell back to {} for {}", failed, next, context);
                return connection;
            } catch (SQLException e) {
                if (!RegionPool.isConnectionFailure(e)) {
                    throw e;
                }
                e.addSuppressed(last);
                last = e;
            }
        }
        throw last;
    }

    /**
     * Returns the pool of a region.
     *
     * @param region a region of the topology
     * @return its pool
     * @throws IllegalArgumentException if the region has no pool
     */
    public RegionPool pool(Region region) {
        RegionPool pool = pools.get(region);
        if (pool == null) {
            throw new IllegalArgumentException("region " + region + " has no pool; configured regions: "
                    + router.topology().regions());
        }
        return pool;
    }
}
