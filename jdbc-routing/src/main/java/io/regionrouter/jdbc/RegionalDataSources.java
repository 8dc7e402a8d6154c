package io.regionrouter.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionContext;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.RegionUnavailableException;
import io.regionrouter.core.Topology;
import io.regionrouter.jdbc.internal.JdbcHealthProbe;
import io.regionrouter.jdbc.internal.PoolFactory;
import io.regionrouter.jdbc.internal.RegionPool;
import io.regionrouter.jdbc.internal.RoutingConnector;
import io.regionrouter.jdbc.internal.Secrets;
import io.regionrouter.jdbc.internal.Sql;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HikariCP pool per region, hung on a {@link RegionRouter}.
 *
 * <pre>{@code
 * RegionalDataSources pg = RegionalDataSources.builder(router)
 *     .region(us, usConfig)          // a full pool in the primary
 *     .region(eu, euConfig)          // secondaries may be smaller
 *     .region(ap, apConfig)
 *     .build();
 * DataSource forAlice = pg.forUser("alice");     // routes to alice's home region
 * DataSource bean = pg.routingDataSource();      // routes by RegionContext
 * }</pre>
 *
 * <ul>
 *   <li>Each pool is named {@code region-router-<region>}. Each physical connection runs
 *       {@code SELECT set_config('app.user_region', '<region>', false)} once, as the pool's
 *       connection-init SQL, so row-level security policies can key on the setting and a checkout
 *       costs nothing extra. The setting's name is configurable.</li>
 *   <li>Each region gets a health probe ({@code SELECT 1} on a connection of its own, never one of
 *       the pool's) registered with the router's {@link io.regionrouter.core.RegionHealth}. Failures
 *       to get a connection from a pool feed the same monitor. A region that is DOWN is never asked
 *       for a connection, so a dead region costs one timeout, not one per call.</li>
 *   <li>The application should connect as a role that neither owns the regional tables nor is a
 *       superuser; otherwise PostgreSQL does not apply row-level security to it.</li>
 * </ul>
 *
 * <p>Thread-safe. {@link #close()} closes the pools and the probes' connections.
 */
public final class RegionalDataSources implements AutoCloseable {

    /** Default name of the session setting that carries the region: {@value}. */
    public static final String DEFAULT_SESSION_SETTING = "app.user_region";
    /** Default startup mode: {@link StartupMode#FAIL_FAST}. */
    public static final StartupMode DEFAULT_STARTUP_MODE = StartupMode.FAIL_FAST;

    private static final Logger LOG = LoggerFactory.getLogger(RegionalDataSources.class);

    private final RegionRouter router;
    private final String sessionSetting;
    private final Map<Region, HikariDataSource> pools;
    private final List<JdbcHealthProbe> probes;
    private final RoutingConnector connector;
    private final RegionRoutingDataSource routingDataSource;

    private RegionalDataSources(RegionRouter router, String sessionSetting, Map<Region, HikariDataSource> pools,
            List<JdbcHealthProbe> probes, Region defaultRegion) {
        this.router = router;
        this.sessionSetting = sessionSetting;
        this.pools = Collections.unmodifiableMap(pools);
        this.probes = List.copyOf(probes);
        Map<Region, RegionPool> regionPools = new LinkedHashMap<>();
        pools.forEach((region, pool) -> regionPools.put(region, new RegionPool(region, pool, router.health())));
        this.connector = new RoutingConnector(router, regionPools);
        this.routingDataSource = new RegionRoutingDataSource(connector, RegionContext::current, defaultRegion,
                "context-routed, defaultRegion=" + defaultRegion);
    }

    /**
     * Starts a builder.
     *
     * @param router the router whose topology, directory and health decide the routing
     * @return a new builder
     */
    public static Builder builder(RegionRouter router) {
        return new Builder(Objects.requireNonNull(router, "router must not be null"));
    }

    /**
     * Returns a data source for one user's REGULATED data: each {@code getConnection()} goes to the
     * user's home region, or to the next healthy region that the residency rules allow, and fails
     * with {@link RegionUnavailableException} when none is UP. The user's region is resolved on
     * every call (through the router's cached directory), so a user who moves follows along.
     *
     * @param userId the user
     * @return a routed data source; cheap, no need to cache it
     * @throws NullPointerException if userId is null
     * @throws IllegalArgumentException if userId is blank
     */
    public DataSource forUser(String userId) {
        Objects.requireNonNull(userId, "userId must not be null");
        if (userId.isBlank()) {
            throw new IllegalArgumentException("userId must not be blank, but was \"" + userId + "\"");
        }
        Optional<RegionContext> context = Optional.of(RegionContext.forUser(userId));
        return new RegionRoutingDataSource(connector, () -> context, null, "user=" + userId);
    }

    /**
     * Returns a data source bound to one region. It fails with {@link RegionUnavailableException}
     * while the region is DOWN, and never falls back.
     *
     * @param region a configured region
     * @return a data source for that region
     */
    public DataSource forRegion(Region region) {
        requireConfigured(region);
        Optional<RegionContext> context = Optional.of(RegionContext.forRegion(region));
        return new RegionRoutingDataSource(connector, () -> context, null, "region=" + region);
    }

    /**
     * The data source that routes by the thread's {@link RegionContext}; one shared instance,
     * suitable as a Spring bean.
     *
     * @return the routing data source
     */
    public RegionRoutingDataSource routingDataSource() {
        return routingDataSource;
    }

    /**
     * The raw pool of a region. It bypasses health checks and the application's residency guard
     * (PostgreSQL's row-level security still applies); meant for administration, metrics and tests.
     *
     * @param region a configured region
     * @return the region's HikariCP pool
     */
    public HikariDataSource pool(Region region) {
        requireConfigured(region);
        return pools.get(region);
    }

    /** The configured regions, in topology order. */
    public List<Region> regions() {
        return List.copyOf(pools.keySet());
    }

    /** The router. */
    public RegionRouter router() {
        return router;
    }

    /** The name of the session setting that carries the region, such as {@code app.user_region}. */
    public String sessionSetting() {
        return sessionSetting;
    }

    private void requireConfigured(Region region) {
        Objects.requireNonNull(region, "region must not be null");
        if (!pools.containsKey(region)) {
            throw new IllegalArgumentException("region " + region + " is not configured; configured: " + pools.keySet());
        }
    }

    /** Closes every pool and probe connection. Idempotent. */
    @Override
    public void close() {
        probes.forEach(JdbcHealthProbe::close);
        pools.values().forEach(HikariDataSource::close);
    }

    @Override
    public String toString() {
        return "RegionalDataSources[regions=" + pools.keySet() + ", sessionSetting=" + sessionSetting + "]";
    }

    /** Builder of {@link RegionalDataSources}. */
    public static final class Builder {
        private final RegionRouter router;
        private final Map<Region, RegionPoolConfig> configs = new LinkedHashMap<>();
        private String sessionSetting = DEFAULT_SESSION_SETTING;
        private StartupMode startupMode = DEFAULT_STARTUP_MODE;
        private boolean healthProbes = true;
        private Region defaultRegion;

        private Builder(RegionRouter router) {
            this.router = router;
        }

        /**
         * Configures a region's pool. Every region of the topology needs one.
         *
         * @param region a region of the router's topology
         * @param config its pool settings
         * @return this builder
         * @throws InvalidConfigurationException if the region is unknown or configured twice
         */
        public Builder region(Region region, RegionPoolConfig config) {
            Objects.requireNonNull(region, "regions: region must not be null");
            Objects.requireNonNull(config, () -> "regions." + region + ": config must not be null");
            Topology topology = router.topology();
            if (!topology.contains(region)) {
                throw new InvalidConfigurationException("regions." + region, region, "regions." + region
                        + ": region must be one of the topology's regions " + topology.regions() + ", but was " + region);
            }
            if (configs.containsKey(region)) {
                throw new InvalidConfigurationException("regions." + region, region,
                        "regions." + region + ": region must be configured once, but was configured twice");
            }
            configs.put(region, config);
            return this;
        }

        /**
         * Configures a region's pool by region id.
         *
         * @param regionId the id of a region of the router's topology
         * @param config its pool settings
         * @return this builder
         */
        public Builder region(String regionId, RegionPoolConfig config) {
            return region(Region.of(regionId), config);
        }

        /**
         * Sets the name of the session setting that carries the region. Default
         * {@value #DEFAULT_SESSION_SETTING}. {@link ResidencySchema} must use the same name.
         *
         * @param name a custom setting name: lower-case identifiers joined by dots
         * @return this builder
         */
        public Builder sessionSetting(String name) {
            this.sessionSetting = Sql.sessionSetting("sessionSetting", name);
            return this;
        }

        /**
         * Sets what happens when a database is unreachable at startup. Default {@link StartupMode#FAIL_FAST}.
         *
         * @param mode the mode
         * @return this builder
         */
        public Builder startup(StartupMode mode) {
            this.startupMode = Objects.requireNonNull(mode, "startup must not be null");
            return this;
        }

        /**
         * Whether to register a health probe per region with the router's
         * {@link io.regionrouter.core.RegionHealth}. Default true; turn it off only when the
         * application registers probes of its own.
         *
         * @param enabled true to register probes
         * @return this builder
         */
        public Builder healthProbes(boolean enabled) {
            this.healthProbes = enabled;
            return this;
        }

        /**
         * Makes {@link #routingDataSource()} use this region when no {@link RegionContext} is bound,
         * instead of throwing {@link NoRegionContextException}. Meant for applications without
         * regulated data. Default: none.
         *
         * @param region a region of the topology
         * @return this builder
         */
        public Builder defaultRegion(Region region) {
            Objects.requireNonNull(region, "defaultRegion must not be null");
            if (!router.topology().contains(region)) {
                throw new InvalidConfigurationException("defaultRegion", region, "defaultRegion must be one of the topology's regions "
                        + router.topology().regions() + ", but was " + region);
            }
            this.defaultRegion = region;
            return this;
        }

        /**
         * Creates the pools and registers the health probes.
         *
         * @return the data sources
         * @throws InvalidConfigurationException if a region of the topology has no pool configured
         * @throws RegionUnavailableException in {@link StartupMode#FAIL_FAST} when a database cannot be reached
         */
        public RegionalDataSources build() {
            List<Region> missing = new ArrayList<>(router.topology().regions());
            missing.removeAll(configs.keySet());
            if (!missing.isEmpty()) {
                throw new InvalidConfigurationException("regions", missing, "regions must configure every region of the topology "
                        + router.topology().regions() + ", but these have no pool: " + missing);
            }
            boolean failFast = startupMode == StartupMode.FAIL_FAST;
            Map<Region, HikariDataSource> pools = new LinkedHashMap<>();
            try {
                for (Region region : router.topology().regions()) {
                    pools.put(region, createPool(region, configs.get(region), failFast));
                }
            } catch (RuntimeException e) {
                pools.values().forEach(HikariDataSource::close);
                throw e;
            }
            List<JdbcHealthProbe> probes = new ArrayList<>();
            if (healthProbes) {
                for (Region region : router.topology().regions()) {
                    RegionPoolConfig config = configs.get(region);
                    JdbcHealthProbe probe = new JdbcHealthProbe(region, config.jdbcUrl(),
                            PoolFactory.driverProperties(region, config, "region-router-probe-" + region.id()));
                    probes.add(probe);
                    router.health().register(region, probe);
                }
            }
            LOG.info("region-router JDBC pools started for {} (startup={}, sessionSetting={}, healthProbes={})",
                    pools.keySet(), startupMode, sessionSetting, healthProbes);
            return new RegionalDataSources(router, sessionSetting, pools, probes, defaultRegion);
        }

        private HikariDataSource createPool(Region region, RegionPoolConfig config, boolean failFast) {
            try {
                return new HikariDataSource(PoolFactory.hikariConfig(region, config, sessionSetting, failFast));
            } catch (HikariPool.PoolInitializationException e) {
                throw new RegionUnavailableException("regions." + region + ".jdbcUrl: the database at "
                        + Secrets.maskUrl(config.jdbcUrl()) + " is unreachable at startup (startup=FAIL_FAST; use"
                        + " startup(StartupMode.LAZY) to start without it): " + e.getMessage(), List.of(region), e);
            }
        }
    }
}
