package io.regionrouter.jdbc;

import com.github.benmanes.caffeine.cache.Ticker;
import com.zaxxer.hikari.HikariDataSource;
import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionContext;
import io.regionrouter.core.RegionEvent;
import io.regionrouter.core.RegionEventListener;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.RegionUnavailableException;
import io.regionrouter.core.Store;
import io.regionrouter.core.Topology;
import io.regionrouter.core.support.EventDispatcher;
import io.regionrouter.core.support.TypedEventPublisher;
import io.regionrouter.jdbc.internal.JdbcHealthProbe;
import io.regionrouter.jdbc.internal.PoolStartup;
import io.regionrouter.jdbc.internal.PoolSwitcher;
import io.regionrouter.jdbc.internal.RegionPool;
import io.regionrouter.jdbc.internal.ReplicaGroup;
import io.regionrouter.jdbc.internal.ReplicaReads;
import io.regionrouter.jdbc.internal.RoutingConnector;
import io.regionrouter.jdbc.support.PoolControl;
import io.regionrouter.jdbc.support.PoolControls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
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
 *     .config(RegionalJdbcConfig.builder().startup(StartupMode.LAZY).build())   // the module's settings
 *     .build();
 * DataSource forAlice = pg.forUser("alice");     // routes to alice's home region
 * DataSource jdbc = pg.routingDataSource();      // routes by RegionContext, for plain JDBC
 * DataSource bean = pg.lazyRoutingDataSource();  // the same, routed at the first statement: the Spring bean
 * }</pre>
 *
 * <ul>
 *   <li>Each pool is named {@code region-router-<region>}. Each physical connection runs
 *       {@code SELECT set_config('app.user_region', '<region>', false)} once, as the pool's
 *       connection-init SQL, so row-level security policies can key on the setting and a checkout
 *       costs nothing extra. The setting's name is configurable
 *       ({@link RegionalJdbcConfig#sessionSetting()}).</li>
 *   <li>Health is kept per (region, store): each region gets a health probe ({@code SELECT 1} on a
 *       connection of its own, never one of the pool's) registered with the router's
 *       {@link io.regionrouter.core.RegionHealth} under this data sources' {@link Store} (default
 *       {@link Store#POSTGRES}; see {@link Builder#store}), and routing consults only that store's
 *       health, so another store of the region being DOWN (its Redis, say) does not move PostgreSQL
 *       traffic. Real calls feed the same store's health: only a database that could not be reached
 *       or did not answer (a refused or timed-out connect, a socket timeout, a broken link) counts as
 *       a failure; SQL errors, authentication errors, too many connections, "cannot connect now" and
 *       a pool that is merely exhausted do not. A region whose store is DOWN is never asked for a
 *       connection, so a dead region costs one timeout, not one per call.</li>
 *   <li>Every call is bounded: {@code getConnection()} by the {@link RegionalJdbcConfig#connectionBudget()
 *       connection budget} (default: the pools' {@code connectionTimeout}, 2 s), directory lookup and
 *       fallback included, and every statement by the pool's
 *       {@link RegionPoolConfig#socketTimeout() socketTimeout} (default 30 s). A write whose answer
 *       was lost says so with an {@link OutcomeUnknownSQLException}.</li>
 *   <li>{@code getConnection()} throws {@link java.sql.SQLException}s with the routing detail as
 *       their cause: {@link RegionUnavailableSQLException} (transient),
 *       {@link ResidencyViolationSQLException}, {@link UnknownUserSQLException},
 *       {@link NoRegionContextSQLException}. With Spring, declare
 *       {@link #lazyRoutingDataSource()} as the {@code DataSource} bean, so that these surface from
 *       the first statement, where {@code JdbcTemplate} translates them (an unavailable region
 *       becomes a {@code TransientDataAccessException}); see {@link RegionRoutingDataSource}.</li>
 *   <li>The application should connect as a role that neither owns the regional tables nor is a
 *       superuser; otherwise PostgreSQL does not apply row-level security to it.</li>
 *   <li>A region may have read replicas (streaming standbys), see {@link Builder#replica}. Read-only
 *       connections then go to a replica of the routed region while its measured lag is within
 *       {@link ReplicaReadConfig#maxLag()} ({@link RegionalJdbcConfig#replicaReads()}), and to the region's primary otherwise. The data sources
 *       then hand out connections that pick replica or primary at their first statement, so that a
 *       read-only flag set after {@code getConnection()} (Spring's
 *       {@code @Transactional(readOnly = true)}) still counts.</li>
 * </ul>
 *
 * <p>Thread-safe. {@link #close()} closes the pools and the probes' connections.
 */
public final class RegionalDataSources implements AutoCloseable {

    /**
     * Default name of the session setting that carries the region: {@value}.
     *
     * @deprecated use {@link RegionalJdbcConfig#DEFAULT_SESSION_SETTING}, with the other settings
     */
    @Deprecated(since = "0.2", forRemoval = false)
    public static final String DEFAULT_SESSION_SETTING = RegionalJdbcConfig.DEFAULT_SESSION_SETTING;
    /**
     * Default startup mode: {@link StartupMode#FAIL_FAST}.
     *
     * @deprecated use {@link RegionalJdbcConfig#DEFAULT_STARTUP_MODE}, with the other settings
     */
    @Deprecated(since = "0.2", forRemoval = false)
    public static final StartupMode DEFAULT_STARTUP_MODE = RegionalJdbcConfig.DEFAULT_STARTUP_MODE;

    private static final Logger LOG = LoggerFactory.getLogger(RegionalDataSources.class);

    static {
        // the failover module repoints regions through PoolControls; nothing else can
        PoolControls.install(pg -> pg.new Control());
    }

    /** Default {@link Builder#store store}: {@link Store#POSTGRES}. */
    public static final Store DEFAULT_STORE = Store.POSTGRES;
    /**
     * The shortest connection budget: 250 ms.
     *
     * @deprecated use {@link RegionalJdbcConfig#MIN_CONNECTION_BUDGET}, with the other settings
     */
    @Deprecated(since = "0.2", forRemoval = false)
    public static final Duration MIN_CONNECTION_BUDGET = RegionalJdbcConfig.MIN_CONNECTION_BUDGET;
    /**
     * The longest connection budget: 10 min.
     *
     * @deprecated use {@link RegionalJdbcConfig#MAX_CONNECTION_BUDGET}, with the other settings
     */
    @Deprecated(since = "0.2", forRemoval = false)
    public static final Duration MAX_CONNECTION_BUDGET = RegionalJdbcConfig.MAX_CONNECTION_BUDGET;

    private final RegionRouter router;
    private final Store store;
    private final RegionalJdbcConfig config;
    private final Duration connectionBudget;
    private final String sessionSetting;
    private final Map<Region, HikariDataSource> pools;
    private final Map<Region, RegionPoolConfig> configs;
    private final List<JdbcHealthProbe> probes;
    private final RoutingConnector connector;
    private final ReplicaGroup replicas;
    private final PoolSwitcher switcher;
    private final RegionRoutingDataSource routingDataSource;
    private final RegionRoutingDataSource lazyRoutingDataSource;
    private final EventPublisher publisher;

    private RegionalDataSources(Builder b, RegionalJdbcConfig config, Map<Region, HikariDataSource> pools,
            List<JdbcHealthProbe> probes, Duration connectionBudget) {
        this.router = b.router;
        this.publisher = new Publisher(b.listeners);
        this.store = b.store;
        this.config = config;
        this.connectionBudget = connectionBudget;
        this.sessionSetting = config.sessionSetting();
        this.pools = Collections.unmodifiableMap(pools);
        this.configs = Map.copyOf(b.configs);
        this.probes = List.copyOf(probes);
        Map<Region, RegionPool> regionPools = new LinkedHashMap<>();
        pools.forEach((region, pool) -> regionPools.put(region,
                new RegionPool(region, pool, router.health().store(region, store), sessionSetting)));
        this.connector = new RoutingConnector(router, store, regionPools, connectionBudget, b.ticker);
        try {
            this.replicas = b.replicaSpecs.isEmpty() ? null
                    : ReplicaGroup.start(router, connector, sessionSetting, b.replicaSpecs, config.replicaReads(),
                            b.listeners::publish);
        } catch (RuntimeException e) {
            connector.close();
            throw e;
        }
        this.switcher = new PoolSwitcher(connector, probes, sessionSetting, () -> replicas);
        this.routingDataSource = new RegionRoutingDataSource(connector, reads(), null, b.defaultRegion, false,
                "context-routed, defaultRegion=" + b.defaultRegion);
        this.lazyRoutingDataSource = new RegionRoutingDataSource(connector, reads(), null, b.defaultRegion, true,
                "context-routed at the first statement, defaultRegion=" + b.defaultRegion);
    }

    private ReplicaReads reads() {
        return replicas == null ? null : replicas.reads();
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
     * Returns a data source for one user's REGULATED data, written and read: each
     * {@code getConnection()} goes to the user's home region, or, for a write, to another region
     * only if the topology declares the home region's data multi-writer, and fails with
     * {@link RegionUnavailableSQLException} when none that may take it is UP. The user's region is
     * resolved on every call (through the router's cached directory), so a user who moves follows
     * along.
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
        return new RegionRoutingDataSource(connector, reads(), RegionContext.forUser(userId), null, false,
                "user=" + userId);
    }

    /**
     * Returns a data source bound to one region. It fails with {@link RegionUnavailableSQLException}
     * while the region's store is DOWN, and never falls back.
     *
     * @param region a configured region
     * @return a data source for that region
     */
    public DataSource forRegion(Region region) {
        requireConfigured(region);
        return new RegionRoutingDataSource(connector, reads(), RegionContext.forRegion(region), null, false,
                "region=" + region);
    }

    /**
     * The data source that routes by the thread's {@link RegionContext} when
     * {@code getConnection()} is called, for plain JDBC: routing failures are thrown by
     * {@code getConnection()} itself. One shared instance.
     *
     * @return the routing data source
     * @see #lazyRoutingDataSource()
     */
    public RegionRoutingDataSource routingDataSource() {
        return routingDataSource;
    }

    /**
     * The data source to declare as a Spring bean: it routes by the thread's {@link RegionContext}
     * too, but its connections decide the route and take the pooled connection at their first
     * statement (the context is the one bound when {@code getConnection()} was called). Routing
     * failures are therefore thrown by that statement, where Spring's {@code JdbcTemplate} translates
     * them: a {@link RegionUnavailableSQLException} becomes a
     * {@code TransientDataAccessResourceException}. Through {@code getConnection()}, Spring would
     * wrap them in a {@code CannotGetJdbcConnectionException}, which is not transient. A connection
     * marked read-only before its first statement, as {@code @Transactional(readOnly = true)} does,
     * is routed as a read. A connection that runs no statement never touches a pool. One shared
     * instance.
     *
     * @return the lazy routing data source
     */
    public RegionRoutingDataSource lazyRoutingDataSource() {
        return lazyRoutingDataSource;
    }

    /**
     * The raw pool of a region. It bypasses health checks and the application's residency guard
     * (PostgreSQL's row-level security still applies); meant for administration, metrics and tests.
     *
     * @param region a configured region
     * @return the region's HikariCP pool
     * @throws IllegalStateException while a failover refuses the region's connections
     */
    public HikariDataSource pool(Region region) {
        requireConfigured(region);
        if (connector.pool(region).dataSource() instanceof HikariDataSource h) {
            return h;
        }
        throw new IllegalStateException("region " + region + " has no pool now: its connections are refused ("
                + connector.pool(region).dataSource() + ")");
    }

    /**
     * The pool settings the region was configured with, for a failover that must point the region
     * at its configured server again.
     *
     * @param region a configured region
     * @return the settings given to {@link Builder#region}
     */
    public RegionPoolConfig poolConfig(Region region) {
        requireConfigured(region);
        return configs.get(region);
    }

    /**
     * The region's epoch: 0 at start, raised by every failover of the region. Connections are only
     * handed out from the endpoint of the current epoch.
     *
     * @param region a configured region
     * @return the epoch
     */
    public long epoch(Region region) {
        requireConfigured(region);
        return connector.pool(region).epoch();
    }

    /**
     * The names of a region's read replicas, in preference order.
     *
     * @param region a configured region
     * @return the names; empty without replicas
     */
    public List<String> replicas(Region region) {
        requireConfigured(region);
        if (replicas == null) {
            return List.of();
        }
        return replicas.reads().replicas().getOrDefault(region, List.of()).stream().map(ReplicaReads.Replica::name).toList();
    }

    /**
     * The raw pool of a read replica, for administration, metrics and tests.
     *
     * @param region a configured region
     * @param name the replica's name
     * @return its HikariCP pool
     * @throws IllegalArgumentException if the region has no replica of that name
     */
    public HikariDataSource replicaPool(Region region, String name) {
        requireConfigured(region);
        if (replicas == null) {
            throw new IllegalArgumentException("region " + region + " has no replica named " + name + "; no replicas are configured");
        }
        return (HikariDataSource) replicas.reads().replica(region, name).pool();
    }

    /**
     * Whether read-only connections may use the replica now: its last lag measurement is fresh and
     * within the bound.
     *
     * @param region a configured region
     * @param name the replica's name
     * @return true while reads go to it
     * @throws IllegalArgumentException if the region has no replica of that name
     */
    public boolean isReplicaUsable(Region region, String name) {
        requireConfigured(region);
        if (replicas == null) {
            throw new IllegalArgumentException("region " + region + " has no replica named " + name + "; no replicas are configured");
        }
        return replicas.reads().usable(region, name);
    }

    /** The configured regions, in topology order. */
    public List<Region> regions() {
        return List.copyOf(pools.keySet());
    }

    /** The router. */
    public RegionRouter router() {
        return router;
    }

    /** The store under which the pools' health is kept, {@link Store#POSTGRES} unless configured. */
    public Store store() {
        return store;
    }

    /**
     * The settings in force: those given with {@link Builder#config}, with any deprecated
     * per-setting call applied over them.
     *
     * @return the settings
     */
    public RegionalJdbcConfig config() {
        return config;
    }

    /**
     * The most one {@code getConnection()} may take, directory lookup and fallback included: the
     * configured {@link RegionalJdbcConfig#connectionBudget()}, or the pools' longest
     * {@code connectionTimeout} when none is configured.
     */
    public Duration connectionBudget() {
        return connectionBudget;
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

    /**
     * Unregisters the health probes from the router's {@code RegionHealth}, then closes every pool
     * and probe connection, replicas included. Idempotent.
     */
    @Override
    public void close() {
        if (replicas != null) {
            replicas.close();
        }
        probes.forEach(probe -> {
            router.health().unregister(probe.region(), store, probe);
            probe.close();
        });
        connector.close();
        pools.values().forEach(HikariDataSource::close);
        pools.keySet().forEach(region -> {
            if (connector.pool(region).dataSource() instanceof HikariDataSource h) {
                h.close(); // after a failover
            }
        });
    }

    /**
     * This module's events, to subscribe to by type.
     *
     * @return the publisher
     */
    public EventPublisher eventPublisher() {
        return publisher;
    }

    /** The events of a {@link RegionalDataSources}. */
    public interface EventPublisher extends io.regionrouter.core.EventPublisher {

        /**
         * Subscribes to a read replica becoming usable or unusable (lag, health, held by a failover).
         *
         * @param consumer the consumer
         * @return this publisher
         */
        EventPublisher onReplicaStateChanged(Consumer<? super ReplicaStateChangedEvent> consumer);

        @Override
        EventPublisher onEvent(RegionEventListener listener);

        @Override
        <T extends RegionEvent> EventPublisher on(Class<T> type, Consumer<? super T> consumer);
    }

    private static final class Publisher extends TypedEventPublisher<EventPublisher> implements EventPublisher {

        Publisher(EventDispatcher events) {
            super(events);
        }

        @Override
        protected EventPublisher self() {
            return this;
        }

        @Override
        public EventPublisher onReplicaStateChanged(Consumer<? super ReplicaStateChangedEvent> consumer) {
            return on(ReplicaStateChangedEvent.class, consumer);
        }
    }

    /** The failover module's handle on these pools (see {@link PoolControls}): checks the region, then switches. */
    private final class Control implements PoolControl {

        @Override
        public DataSource switchRegion(Region region, RegionPoolConfig config, long epoch) {
            requireConfigured(region);
            return switcher.switchRegion(region, config, epoch);
        }

        @Override
        public DataSource suspendRegion(Region region, long epoch, String reason) {
            requireConfigured(region);
            return switcher.suspendRegion(region, epoch, reason);
        }

        @Override
        public void holdReplica(Region region, String name, String reason) {
            requireConfigured(region);
            switcher.holdReplica(region, name, reason);
        }
    }

    @Override
    public String toString() {
        return "RegionalDataSources[regions=" + pools.keySet() + ", store=" + store + ", connectionBudget="
                + connectionBudget + ", sessionSetting=" + sessionSetting + ", startup=" + config.startup() + "]";
    }

    /**
     * Builder of {@link RegionalDataSources}: the router, one {@link #region region} per region of
     * the topology, and the module's settings as one {@link #config(RegionalJdbcConfig)
     * RegionalJdbcConfig}. Collaborators and topology stay here (see {@link RegionalJdbcConfig} for
     * what goes where).
     *
     * <p><b>Deprecated per-setting methods.</b> {@link #connectionBudget}, {@link #sessionSetting},
     * {@link #startup} and {@link #replicaReads} still work: each overrides that one field of the
     * configuration given with {@link #config}, whatever the order of the calls, so code that
     * moves to a shared configuration keeps its explicit settings until they are removed.
     * {@link RegionalDataSources#config()} shows the result.
     */
    public static final class Builder {
        private final RegionRouter router;
        private final Map<Region, RegionPoolConfig> configs = new LinkedHashMap<>();
        private RegionalJdbcConfig config = RegionalJdbcConfig.defaults();
        // set only by the deprecated per-setting methods; each wins over its field of config
        private Duration connectionBudget;
        private String sessionSetting;
        private StartupMode startupMode;
        private ReplicaReadConfig replicaReads;
        private boolean healthProbes = true;
        private Region defaultRegion;
        private final List<ReplicaGroup.Spec> replicaSpecs = new ArrayList<>();
        private final EventDispatcher listeners = new EventDispatcher("region-router-jdbc", List.of());
        private Store store = DEFAULT_STORE;
        private LongSupplier ticker = System::nanoTime;

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
         * Sets the module's settings: connection budget, session setting, startup mode and
         * replica reads. Default {@link RegionalJdbcConfig#defaults()}. A later call replaces the
         * earlier configuration; a deprecated per-setting call overrides its field of it, in
         * either order.
         *
         * @param config the settings
         * @return this builder
         */
        public Builder config(RegionalJdbcConfig config) {
            this.config = Objects.requireNonNull(config, "config must not be null");
            return this;
        }

        /**
         * Sets the name of the session setting that carries the region, over the
         * {@link #config configuration}'s.
         *
         * @param name a custom setting name: lower-case identifiers joined by dots
         * @return this builder
         * @deprecated set {@link RegionalJdbcConfig.Builder#sessionSetting(String)} and pass the
         *     configuration to {@link #config(RegionalJdbcConfig)}
         */
        @Deprecated(since = "0.2", forRemoval = false)
        public Builder sessionSetting(String name) {
            this.sessionSetting = RegionalJdbcConfig.checkSessionSetting(name);
            return this;
        }

        /**
         * Names the store under which these pools' health is kept in the router's
         * {@link io.regionrouter.core.RegionHealth}. Default {@link Store#POSTGRES}. Give a second
         * PostgreSQL cluster in the same regions its own name ({@code Store.of("postgres-billing")}),
         * so each cluster gets its own verdict.
         *
         * @param store the store
         * @return this builder
         */
        public Builder store(Store store) {
            this.store = Objects.requireNonNull(store, "store must not be null");
            return this;
        }

        /**
         * Sets the most one {@code getConnection()} may take, over the {@link #config
         * configuration}'s; see {@link RegionalJdbcConfig#connectionBudget()}.
         *
         * @param budget from 250 ms to 10 min
         * @return this builder
         * @deprecated set {@link RegionalJdbcConfig.Builder#connectionBudget(Duration)} and pass the
         *     configuration to {@link #config(RegionalJdbcConfig)}
         */
        @Deprecated(since = "0.2", forRemoval = false)
        public Builder connectionBudget(Duration budget) {
            this.connectionBudget = RegionalJdbcConfig.checkConnectionBudget(budget);
            return this;
        }

        /**
         * Sets the elapsed-time source that measures the connection budget. For tests; default
         * {@link Ticker#systemTicker()}.
         *
         * @param ticker the time source
         * @return this builder
         */
        public Builder ticker(Ticker ticker) {
            Objects.requireNonNull(ticker, "ticker must not be null");
            this.ticker = ticker::read;
            return this;
        }

        /**
         * Sets what happens when a database is unreachable at startup, over the {@link #config
         * configuration}'s.
         *
         * @param mode the mode
         * @return this builder
         * @deprecated set {@link RegionalJdbcConfig.Builder#startup(StartupMode)} and pass the
         *     configuration to {@link #config(RegionalJdbcConfig)}
         */
        @Deprecated(since = "0.2", forRemoval = false)
        public Builder startup(StartupMode mode) {
            this.startupMode = Objects.requireNonNull(mode, "startup must not be null");
            return this;
        }

        /**
         * Whether to register a health probe per region with the router's
         * {@link io.regionrouter.core.RegionHealth}, under this builder's {@link #store store}.
         * Default true; turn it off only when the application registers probes of its own for that
         * store.
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
         * Adds a read replica (a streaming standby) of a region's database. It gets a pool of its own,
         * named {@code region-router-<region>-replica-<name>}, with the same region binding as the
         * primary's pool; the pool starts lazily, so an unreachable replica does not stop startup.
         * Several replicas of a region are tried in the order they were added.
         *
         * @param region a region of the topology
         * @param name the replica's name, unique across regions: 1..32 of [a-z0-9-]
         * @param config its pool settings; usually a small pool with the application's credentials
         * @return this builder
         * @throws InvalidConfigurationException if the region is unknown or the name is invalid or taken
         */
        public Builder replica(Region region, String name, RegionPoolConfig config) {
            ReplicaGroup.checkNew(router.topology(), replicaSpecs, region, name, config);
            replicaSpecs.add(new ReplicaGroup.Spec(region, name, config));
            return this;
        }

        /**
         * Sets how read-only work uses the replicas, over the {@link #config configuration}'s.
         *
         * @param config the configuration
         * @return this builder
         * @deprecated set {@link RegionalJdbcConfig.Builder#replicaReads(ReplicaReadConfig)} and pass
         *     the configuration to {@link #config(RegionalJdbcConfig)}
         */
        @Deprecated(since = "0.2", forRemoval = false)
        public Builder replicaReads(ReplicaReadConfig config) {
            this.replicaReads = Objects.requireNonNull(config, "replicaReads must not be null");
            return this;
        }

        /**
         * Adds a listener for this module's events, such as {@link ReplicaStateChangedEvent}. It is
         * called on the replica probe thread and must be fast; exceptions it throws are logged and
         * ignored.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(RegionEventListener listener) {
            listeners.add(listener);
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
            RegionalJdbcConfig settings = effectiveConfig();
            Map<Region, RegionPoolConfig> ordered = new LinkedHashMap<>();
            router.topology().regions().forEach(region -> ordered.put(region, configs.get(region)));
            PoolStartup started = PoolStartup.start(ordered, settings.sessionSetting(),
                    settings.startup() == StartupMode.FAIL_FAST, healthProbes ? router.health() : null, store);
            // unset: the longest checkout, so a budget never cuts a pool's own timeout short
            Duration budget = settings.connectionBudget().orElseGet(() -> configs.values().stream()
                    .map(RegionPoolConfig::connectionTimeout).max(Duration::compareTo).orElseThrow());
            LOG.info("region-router JDBC pools started for {} (store={}, connectionBudget={} ms, startup={}, sessionSetting={},"
                    + " healthProbes={}, replicas={})", started.pools().keySet(), store, budget.toMillis(), settings.startup(),
                    settings.sessionSetting(), healthProbes,
                    replicaSpecs.stream().map(s -> s.region() + "/" + s.name()).toList());
            try {
                return new RegionalDataSources(this, settings, started.pools(), started.probes(), budget);
            } catch (RuntimeException e) {
                started.undo(router.health(), store);
                throw e;
            }
        }

        /** The configuration with the deprecated per-setting calls applied over it. */
        private RegionalJdbcConfig effectiveConfig() {
            if (connectionBudget == null && sessionSetting == null && startupMode == null && replicaReads == null) {
                return config;
            }
            RegionalJdbcConfig.Builder b = config.toBuilder();
            if (connectionBudget != null) {
                b.connectionBudget(connectionBudget);
            }
            if (sessionSetting != null) {
                b.sessionSetting(sessionSetting);
            }
            if (startupMode != null) {
                b.startup(startupMode);
            }
            if (replicaReads != null) {
                b.replicaReads(replicaReads);
            }
            return b.build();
        }
    }
}
