package io.regionrouter.mongo;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.ReadPreference;
import com.mongodb.Tag;
import com.mongodb.TagSet;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import io.regionrouter.core.Access;
import io.regionrouter.core.DataClass;
import io.regionrouter.core.HealthProbe;
import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.OutcomeUnknownException;
import io.micrometer.observation.ObservationRegistry;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionContext;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.RegionUnavailableException;
import io.regionrouter.core.Store;
import io.regionrouter.core.StoreHealth;
import io.regionrouter.core.Topology;
import io.regionrouter.mongo.internal.ClusterSettings;
import io.regionrouter.mongo.internal.FailureClassifier;
import io.regionrouter.mongo.internal.RegionBinding;
import io.regionrouter.mongo.internal.RegionBoundProxies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One {@link MongoClient} per region cluster, and routing of users and GLOBAL data to them.
 *
 * <pre>{@code
 * RegionalMongoClients mongo = RegionalMongoClients.builder(router)
 *     .region("us", "mongodb://mongo-us.internal:27017")
 *     .region("eu", "mongodb://mongo-eu.internal:27017")
 *     .config(RegionalMongoConfig.builder().database("app").build())
 *     .build();
 * mongo.forUser("alice").getCollection("orders").insertOne(new Document("region", "eu").append("total", 12));
 * Document product = mongo.readGlobal(db -> db.getCollection("products").find(eq("_id", 7)).first());
 * }</pre>
 *
 * <p>The settings (database, region field, timeouts, concerns, move fences) are one immutable
 * {@link RegionalMongoConfig}; the builder holds the collaborators and the topology: the router, each
 * region's connection string, the store, the clock, the probe switch and the driver customizer.
 *
 * <p>Databases for REGULATED data ({@link #forUser(String)}, {@link #forRegion(Region)}) are wrapped
 * with a {@link ResidencyGuard} for their cluster's region.
 *
 * <p><b>Health is per (region, store).</b> The clients register a {@link MongoHealthProbe} per region
 * under {@link Store#MONGO} (or the store named with {@link Builder#store(Store)}), every routing
 * decision consults that store's health only, and every database handed out reports its calls to it:
 * a call that talked to the server is a success, whatever the server answered; only "could not
 * reach" (refused connect, server selection timed out) and "did not answer" (socket failure or
 * timeout) are failures. A duplicate key, a command error, a failed authentication, an exhausted
 * pool or an undecodable document never counts against the store. Another store of the same region
 * (eu's PostgreSQL, say) can be DOWN without moving any MongoDB call.
 *
 * <p><b>Every call is bounded.</b> By default each operation has a client-side timeout of
 * {@link RegionalMongoConfig#DEFAULT_OPERATION_TIMEOUT} ({@code timeoutMS}), which covers server
 * selection (itself at most {@link RegionalMongoConfig#DEFAULT_SERVER_SELECTION_TIMEOUT}), the pool, the connect, the send and the reply, and
 * for a cursor its whole life (the driver's default {@code timeoutMode} for non-tailable cursors). A
 * document write through a database handed out here that was sent but got no answer throws
 * {@link OutcomeUnknownException}: it may have been applied; the driver's exception is the cause.
 * The raw {@link #client(Region)} has the same timeouts but reports nothing and wraps nothing.
 *
 * <p>Thread-safe; close it to close every client.
 */
public final class RegionalMongoClients implements AutoCloseable {

    /**
     * As {@link RegionalMongoConfig#DEFAULT_WTIMEOUT}.
     *
     * @deprecated the defaults live with the settings: use {@link RegionalMongoConfig#DEFAULT_WTIMEOUT}
     */
    @Deprecated(since = "0.2", forRemoval = false)
    public static final Duration DEFAULT_WTIMEOUT = RegionalMongoConfig.DEFAULT_WTIMEOUT;
    /**
     * As {@link RegionalMongoConfig#DEFAULT_WRITE_CONCERN}.
     *
     * @deprecated use {@link RegionalMongoConfig#DEFAULT_WRITE_CONCERN}
     */
    @Deprecated(since = "0.2", forRemoval = false)
    public static final WriteConcern DEFAULT_WRITE_CONCERN = RegionalMongoConfig.DEFAULT_WRITE_CONCERN;
    /**
     * As {@link RegionalMongoConfig#DEFAULT_SERVER_SELECTION_TIMEOUT}.
     *
     * @deprecated use {@link RegionalMongoConfig#DEFAULT_SERVER_SELECTION_TIMEOUT}
     */
    @Deprecated(since = "0.2", forRemoval = false)
    public static final Duration DEFAULT_SERVER_SELECTION_TIMEOUT = RegionalMongoConfig.DEFAULT_SERVER_SELECTION_TIMEOUT;
    /**
     * As {@link RegionalMongoConfig#DEFAULT_CONNECT_TIMEOUT}.
     *
     * @deprecated use {@link RegionalMongoConfig#DEFAULT_CONNECT_TIMEOUT}
     */
    @Deprecated(since = "0.2", forRemoval = false)
    public static final Duration DEFAULT_CONNECT_TIMEOUT = RegionalMongoConfig.DEFAULT_CONNECT_TIMEOUT;
    /**
     * As {@link RegionalMongoConfig#DEFAULT_OPERATION_TIMEOUT}.
     *
     * @deprecated use {@link RegionalMongoConfig#DEFAULT_OPERATION_TIMEOUT}
     */
    @Deprecated(since = "0.2", forRemoval = false)
    public static final Duration DEFAULT_OPERATION_TIMEOUT = RegionalMongoConfig.DEFAULT_OPERATION_TIMEOUT;
    /**
     * As {@link RegionalMongoConfig#DEFAULT_APPLICATION_NAME}.
     *
     * @deprecated use {@link RegionalMongoConfig#DEFAULT_APPLICATION_NAME}
     */
    @Deprecated(since = "0.2", forRemoval = false)
    public static final String DEFAULT_APPLICATION_NAME = RegionalMongoConfig.DEFAULT_APPLICATION_NAME;
    /**
     * As {@link RegionalMongoConfig#DEFAULT_REGION_TAG}.
     *
     * @deprecated use {@link RegionalMongoConfig#DEFAULT_REGION_TAG}
     */
    @Deprecated(since = "0.2", forRemoval = false)
    public static final String DEFAULT_REGION_TAG = RegionalMongoConfig.DEFAULT_REGION_TAG;

    private static final Logger LOG = LoggerFactory.getLogger(RegionalMongoClients.class);

    private final RegionRouter router;
    private final Store store;
    private final Map<Region, RegionCluster> clusters;
    /** The store's health in each region with a cluster, consulted and fed on every call. */
    private final Map<Region, StoreHealth> healthOf;
    private final RegionalMongoConfig config;
    private final java.time.InstantSource clock;
    private final Map<Region, HealthProbe> registeredProbes = new ConcurrentHashMap<>();

    private RegionalMongoClients(RegionRouter router, Store store, Map<Region, RegionCluster> clusters,
                                 RegionalMongoConfig config, java.time.InstantSource clock) {
        this.config = config;
        this.clock = clock;
        this.router = router;
        this.store = store;
        this.clusters = clusters;
        Map<Region, StoreHealth> handles = new LinkedHashMap<>();
        clusters.keySet().forEach(region -> handles.put(region, router.health().store(region, store)));
        this.healthOf = Map.copyOf(handles);
    }

    /** Starts a builder for the regions of {@code router}'s topology. */
    public static Builder builder(RegionRouter router) {
        return new Builder(router);
    }

    /** The read preference used by default: nearest, with tag sets {@code [{<tag>: <local>}, {}]}. */
    public static ReadPreference defaultReadPreference(String regionTag, Region local) {
        return ReadPreference.nearest(List.of(new TagSet(new Tag(regionTag, local.id())), new TagSet()));
    }

    /** The router whose topology, directory and health this instance routes with. */
    public RegionRouter router() {
        return router;
    }

    /** The store under which these clusters' health is kept; {@link Store#MONGO} unless the builder named another. */
    public Store store() {
        return store;
    }

    /** The regions that have a cluster, in topology order. */
    public Set<Region> regions() {
        return clusters.keySet();
    }

    /**
     * The raw client of a region's cluster: the same settings and timeouts, but no guard, no health
     * reporting, and a write that timed out surfaces as the driver's exception (for example a
     * {@code MongoOperationTimeoutException} caused by a {@code MongoSocketReadTimeoutException}),
     * which does not say that the write may have been applied.
     */
    public MongoClient client(Region region) {
        return cluster(region).client();
    }

    /** The effective driver settings of a region's client (defaults, connection string, overrides). */
    public MongoClientSettings settings(Region region) {
        return cluster(region).settings();
    }

    /**
     * The settings in effect: the builder's {@link Builder#config configuration} with any setting
     * given through a deprecated per-setting method of the builder in its place.
     */
    public RegionalMongoConfig config() {
        return config;
    }

    /** The name of the field that holds a document's home region ({@link RegionalMongoConfig#regionField()}). */
    public String regionField() {
        return config.regionField();
    }

    /** The database name used in a region's cluster. */
    public String databaseName(Region region) {
        return cluster(region).database();
    }

    /**
     * The database of {@code userId}'s home cluster for a REGULATED write; when the home region's
     * MongoDB is DOWN, the next healthy region that may take writes of its data (a
     * {@link Topology.Builder#multiWriter multi-writer} region), else
     * {@link RegionUnavailableException}. Never a region that only holds a read-only copy. Guarded
     * for the chosen region.
     */
    public MongoDatabase forUser(String userId) {
        return forUser(userId, Access.WRITE);
    }

    /**
     * As {@link #forUser(String)}, for the given access. A READ may fall back to any healthy region
     * the residency rules allow, which may hold a read-only copy: a document write through a database
     * routed for READ is refused with {@link io.regionrouter.core.ResidencyViolationException} unless
     * the region it was routed to may take the user's writes.
     */
    public MongoDatabase forUser(String userId, Access access) {
        Objects.requireNonNull(access, "access");
        Region region = router.route(store, userId, DataClass.REGULATED, access);
        return regulated(region, userId, access);
    }

    /**
     * The guarded database of exactly this region's cluster, for REGULATED data placed explicitly:
     * no routing and no fallback. A call is refused with a {@link RegionUnavailableException} while
     * the region's store is DOWN, without touching the network, as a named region is in every module.
     * The guard accepts only documents whose home region may be written in this region.
     */
    public MongoDatabase forRegion(Region region) {
        return regulated(region, null, Access.WRITE, true);
    }

    /**
     * The database for the current {@link RegionContext}, routed once per scope for this store
     * ({@link RegionRouter#routeCurrent(Store)}); REGULATED contexts get a guarded database.
     *
     * @throws IllegalStateException if no context is open on this thread
     */
    public MongoDatabase forCurrentContext() {
        RegionContext context = RegionContext.current().orElseThrow(() ->
                new IllegalStateException("no RegionContext is open on this thread"));
        Region region = router.routeCurrent(store);
        return context.dataClass() == DataClass.REGULATED
                ? regulated(region, context.userId().orElse(null), context.access())
                : unguarded(region);
    }

    /** The database of the nearest cluster whose MongoDB is UP, for GLOBAL reads (local first). */
    public MongoDatabase forGlobalRead() {
        return unguarded(router.route(store, null, DataClass.GLOBAL, Access.READ));
    }

    /** The database of the primary region's cluster, for GLOBAL writes. */
    public MongoDatabase forGlobalWrite() {
        return unguarded(router.route(store, null, DataClass.GLOBAL, Access.WRITE));
    }

    /**
     * Runs a GLOBAL read on the nearest cluster whose MongoDB is UP; when the read could not reach
     * the cluster or got no answer, tries the next one by proximity (the failure is already recorded
     * in that region's health). Regions whose MongoDB is DOWN are skipped without being contacted.
     * An error the server answered with (a bad query, say) is thrown at once, as the next region
     * would answer the same. Each attempt is bounded by the operation timeout, so the whole call by
     * that timeout times the number of regions tried.
     *
     * @throws RegionUnavailableException when every candidate is DOWN or failed (the last failure is the cause)
     */
    public <T> T readGlobal(Function<MongoDatabase, T> read) {
        Objects.requireNonNull(read, "read");
        List<Region> tried = new ArrayList<>();
        RuntimeException last = null;
        for (Region region : router.candidates(null, DataClass.GLOBAL, Access.READ)) {
            StoreHealth health = healthOf.get(region);
            if (health == null || !health.isUp()) {
                continue;
            }
            tried.add(region);
            try {
                return read.apply(unguarded(region));
            } catch (RuntimeException e) {
                // A write inside the function that may have been applied must not be run a second time elsewhere.
                if (e instanceof OutcomeUnknownException || !FailureClassifier.classify(e).isFailure()) {
                    throw e;
                }
                last = e;
                LOG.debug("GLOBAL read could not reach {}/{}, trying the next region", region, store, e);
            }
        }
        throw new RegionUnavailableException("GLOBAL read failed: no MongoDB cluster that is UP answered; tried "
                + tried, tried, last);
    }

    /**
     * Audits one collection in every cluster for documents stored away from their home region: those
     * whose region field names another region. They are what a failover into a {@code multiWriter}
     * region left behind: {@link #forUser(String)} routes to the home cluster again once it is UP and
     * does not read them, and this library does not move them back (the user may have written the same
     * documents at home since: only the application knows how to merge them). Each stray document is
     * counted per cluster and home region, and the total is logged at WARN. Clusters that are DOWN or do
     * not answer are listed as unreachable. One bounded query per cluster.
     *
     * @param collection the collection name in each cluster's database
     */
    public StrayDocuments strayDocuments(String collection) {
        if (collection == null || collection.isBlank()) {
            throw new IllegalArgumentException("collection must not be blank, but was " + (collection == null ? "null" : "\"" + collection + "\""));
        }
        Map<Region, Map<String, Long>> found = new LinkedHashMap<>();
        List<Region> unreachable = new ArrayList<>();
        for (RegionCluster cluster : clusters.values()) {
            Region region = cluster.region();
            StoreHealth health = healthOf.get(region);
            if (health != null && !health.isUp()) {
                unreachable.add(region);
                continue;
            }
            try {
                Map<String, Long> counts = new java.util.TreeMap<>();
                for (org.bson.Document group : database(cluster).getCollection(collection).aggregate(List.of(
                        com.mongodb.client.model.Aggregates.match(
                                com.mongodb.client.model.Filters.ne(regionField(), region.id())),
                        com.mongodb.client.model.Aggregates.group("$" + regionField(),
                                com.mongodb.client.model.Accumulators.sum("n", 1))))) {
                    Object home = group.get("_id");
                    String key = home instanceof String id && !id.isBlank() ? id : "?";
                    counts.merge(key, ((Number) group.get("n")).longValue(), Long::sum);
                }
                found.put(region, counts);
            } catch (RuntimeException e) {
                if (!FailureClassifier.classify(e).isFailure()) {
                    throw e;
                }
                LOG.debug("stray document audit could not reach {}/{}", region, store, e);
                unreachable.add(region);
            }
        }
        StrayDocuments report = new StrayDocuments(collection, found, unreachable);
        if (report.total() > 0) {
            LOG.warn("{} documents of collection {} are stored away from their home region (written during a failover;"
                    + " forUser does not read them): {}", report.total(), collection, report.byCluster());
        }
        return report;
    }

    /**
     * Unregisters this instance's health probes and closes every client. Idempotent.
     */
    @Override
    public void close() {
        RegionHealth health = router.health();
        registeredProbes.forEach((region, probe) -> health.unregister(region, store, probe));
        registeredProbes.clear();
        RuntimeException failure = null;
        for (RegionCluster cluster : clusters.values()) {
            try {
                cluster.client().close();
            } catch (RuntimeException e) {
                LOG.warn("closing the MongoDB client of region {} ({}) failed", cluster.region(), cluster.maskedUri(), e);
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("RegionalMongoClients{");
        for (RegionCluster c : clusters.values()) {
            sb.append(c.region()).append('=').append(c.maskedUri()).append('/').append(c.database()).append(", ");
        }
        return sb.append("regionField=").append(regionField()).append('}').toString();
    }

    private MongoDatabase regulated(Region region, String userId, Access access) {
        return regulated(region, userId, access, false);
    }

    private MongoDatabase regulated(Region region, String userId, Access access, boolean exact) {
        RegionCluster cluster = cluster(region);
        // A READ route may have fallen back to a read-only copy; the writes it would take are checked when made.
        Runnable writeCheck = userId != null && access == Access.READ ? () -> router.checkWritable(userId, region) : null;
        if (config.moveFences() && userId != null) {
            Runnable residency = writeCheck;
            MongoDatabase raw = database(cluster);
            writeCheck = () -> {
                if (residency != null) {
                    residency.run();
                }
                io.regionrouter.mongo.internal.MoveMarkers.check(raw, userId, region, clock);
            };
        }
        return RegionBoundProxies.database(database(cluster),
                new RegionBinding(region, userId, cluster.guard(), healthOf.get(region), writeCheck, cluster.sent(),
                        observations(), exact));
    }

    private MongoDatabase unguarded(Region region) {
        RegionCluster cluster = cluster(region);
        return RegionBoundProxies.database(database(cluster),
                new RegionBinding(region, null, null, healthOf.get(region), null, cluster.sent(), observations()));
    }

    /** The router's registry, or null when calls are not observed. */
    private ObservationRegistry observations() {
        ObservationRegistry registry = router.observationRegistry();
        return registry.isNoop() ? null : registry;
    }

    private static MongoDatabase database(RegionCluster cluster) {
        return cluster.client().getDatabase(cluster.database());
    }

    /** Registers one ping probe per cluster; on failure, leaves nothing registered and nothing open. */
    private void registerProbes() {
        RegionHealth health = router.health();
        try {
            clusters.forEach((region, cluster) -> {
                MongoHealthProbe probe = MongoHealthProbe.of(cluster.client());
                health.register(region, store, probe);
                registeredProbes.put(region, probe);
            });
        } catch (RuntimeException e) {
            try {
                close();
            } catch (RuntimeException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
    }

    private RegionCluster cluster(Region region) {
        RegionCluster cluster = clusters.get(region);
        if (cluster == null) {
            throw new RegionUnavailableException("no MongoDB cluster is configured for region " + region
                    + "; configured: " + clusters.keySet(), List.of(region));
        }
        return cluster;
    }

    /**
     * Builder for {@link RegionalMongoClients}. Not thread-safe.
     *
     * <p>It holds the collaborators and the topology (router, regions, store, clock, probes, driver
     * customizer); the settings come as one {@link #config(RegionalMongoConfig) RegionalMongoConfig}.
     * The per-setting methods ({@link #database}, {@link #writeConcern}, ...) are deprecated and still
     * work: each one <b>overrides the same setting of the configuration, whichever was called
     * first</b>, and leaves the configuration's other settings as they are. A later call of the same
     * per-setting method replaces an earlier one. {@link RegionalMongoClients#config()} shows the result.
     */
    public static final class Builder {
        private final RegionRouter router;
        private final Map<String, String> uris = new LinkedHashMap<>();
        private RegionalMongoConfig config = RegionalMongoConfig.defaults();
        /** Settings given through the deprecated per-setting methods, by setting, applied over {@link #config}. */
        private final Map<String, Consumer<RegionalMongoConfig.Builder>> overrides = new LinkedHashMap<>();
        private boolean healthProbes = true;
        private Store store = Store.MONGO;
        private BiConsumer<Region, MongoClientSettings.Builder> customizer;
        private java.time.InstantSource clock = java.time.InstantSource.system();

        private Builder(RegionRouter router) {
            this.router = Objects.requireNonNull(router, "router");
        }

        /**
         * Sets the settings: database, region tag and field, read preference, write concern, timeouts,
         * application name and move fences. Default {@link RegionalMongoConfig#defaults()}. A setting
         * given through a deprecated per-setting method of this builder wins over the same setting
         * here, whatever the order of the calls.
         *
         * @param config the settings
         * @return this builder
         */
        public Builder config(RegionalMongoConfig config) {
            if (config == null) {
                throw new InvalidConfigurationException("config", null, "config must not be null, but was null");
            }
            this.config = config;
            return this;
        }

        /**
         * As {@link RegionalMongoConfig.Builder#moveFences(boolean)}.
         *
         * @deprecated set it in the configuration: {@code config(RegionalMongoConfig.builder().moveFences(on).build())}
         */
        @Deprecated(since = "0.2", forRemoval = false)
        public Builder moveFences(boolean on) {
            return override("moveFences", b -> b.moveFences(on));
        }

        /**
         * The wall clock against which a move freeze's bound is judged
         * ({@link RegionalMongoConfig#moveFences()}). Default the system clock.
         */
        public Builder clock(java.time.InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Declares a region's cluster by its connection string; options written in it override the
         * defaults. The same shape as every module's per-region declaration
         * ({@code RegionalDataSources.Builder.region}, {@code RegionalRedis.Builder.region}).
         *
         * @param region the region's id
         * @param connectionString the cluster's connection string
         * @return this builder
         */
        public Builder region(String region, String connectionString) {
            if (uris.containsKey(region)) {
                throw new InvalidConfigurationException("clusters." + region, region,
                        "clusters." + region + " must be configured once, but was configured twice");
            }
            uris.put(region, connectionString);
            return this;
        }

        /** As {@link #region(String, String)}. */
        public Builder region(Region region, String connectionString) {
            return region(region.id(), connectionString);
        }

        /**
         * As {@link #region(String, String)}, under its former name.
         *
         * @deprecated use {@link #region(String, String)}, the per-region declaration of every module
         */
        @Deprecated(since = "0.2", forRemoval = true)
        public Builder cluster(String region, String connectionString) {
            return region(region, connectionString);
        }

        /**
         * As {@link #region(Region, String)}, under its former name.
         *
         * @deprecated use {@link #region(Region, String)}
         */
        @Deprecated(since = "0.2", forRemoval = true)
        public Builder cluster(Region region, String connectionString) {
            return region(region.id(), connectionString);
        }

        /**
         * As {@link RegionalMongoConfig.Builder#database(String)}.
         *
         * @deprecated set it in the configuration: {@link #config(RegionalMongoConfig)}
         */
        @Deprecated(since = "0.2", forRemoval = false)
        public Builder database(String database) {
            return override("database", b -> b.database(database));
        }

        /**
         * As {@link RegionalMongoConfig.Builder#regionTag(String)}.
         *
         * @deprecated set it in the configuration: {@link #config(RegionalMongoConfig)}
         */
        @Deprecated(since = "0.2", forRemoval = false)
        public Builder regionTag(String regionTag) {
            return override("regionTag", b -> b.regionTag(regionTag));
        }

        /**
         * As {@link RegionalMongoConfig.Builder#regionField(String)}.
         *
         * @deprecated set it in the configuration: {@link #config(RegionalMongoConfig)}
         */
        @Deprecated(since = "0.2", forRemoval = false)
        public Builder regionField(String regionField) {
            return override("regionField", b -> b.regionField(regionField));
        }

        /**
         * As {@link RegionalMongoConfig.Builder#readPreference(ReadPreference)}.
         *
         * @deprecated set it in the configuration: {@link #config(RegionalMongoConfig)}
         */
        @Deprecated(since = "0.2", forRemoval = false)
        public Builder readPreference(ReadPreference readPreference) {
            return override("readPreference", b -> b.readPreference(readPreference));
        }

        /**
         * As {@link RegionalMongoConfig.Builder#writeConcern(WriteConcern)}.
         *
         * @deprecated set it in the configuration: {@link #config(RegionalMongoConfig)}
         */
        @Deprecated(since = "0.2", forRemoval = false)
        public Builder writeConcern(WriteConcern writeConcern) {
            return override("writeConcern", b -> b.writeConcern(writeConcern));
        }

        /**
         * As {@link RegionalMongoConfig.Builder#serverSelectionTimeout(Duration)}.
         *
         * @deprecated set it in the configuration: {@link #config(RegionalMongoConfig)}
         */
        @Deprecated(since = "0.2", forRemoval = false)
        public Builder serverSelectionTimeout(Duration timeout) {
            return override("serverSelectionTimeout", b -> b.serverSelectionTimeout(timeout));
        }

        /**
         * As {@link RegionalMongoConfig.Builder#connectTimeout(Duration)}.
         *
         * @deprecated set it in the configuration: {@link #config(RegionalMongoConfig)}
         */
        @Deprecated(since = "0.2", forRemoval = false)
        public Builder connectTimeout(Duration timeout) {
            return override("connectTimeout", b -> b.connectTimeout(timeout));
        }

        /**
         * As {@link RegionalMongoConfig.Builder#operationTimeout(Duration)}; {@code null} disables the
         * client-side timeout.
         *
         * @deprecated set it in the configuration: {@link #config(RegionalMongoConfig)}
         */
        @Deprecated(since = "0.2", forRemoval = false)
        public Builder operationTimeout(Duration timeout) {
            return override("operationTimeout", b -> b.operationTimeout(timeout));
        }

        /**
         * As {@link RegionalMongoConfig.Builder#applicationName(String)}.
         *
         * @deprecated set it in the configuration: {@link #config(RegionalMongoConfig)}
         */
        @Deprecated(since = "0.2", forRemoval = false)
        public Builder applicationName(String applicationName) {
            return override("applicationName", b -> b.applicationName(applicationName));
        }

        /**
         * Whether to register a {@link MongoHealthProbe} per cluster in the router's RegionHealth, under
         * {@link #store(Store)}; default true. Without a probe registered for the store, RegionHealth
         * ignores the results of real calls and counts the store as UP; register a probe of your own
         * to keep health (only probes bring a store that real calls took DOWN back UP).
         */
        public Builder healthProbes(boolean register) {
            this.healthProbes = register;
            return this;
        }

        /**
         * The store under which health is kept and consulted; default {@link Store#MONGO}. Name another
         * one ({@code Store.of("mongo-events")}) when two sets of MongoDB clusters share one
         * {@link RegionHealth}, so that one's outage does not move the other's calls.
         */
        public Builder store(Store store) {
            if (store == null) {
                throw new InvalidConfigurationException("store", null, "store must not be null, but was null");
            }
            this.store = store;
            return this;
        }

        /**
         * Last word on each region's driver settings (pool sizes, TLS, credentials, listeners...): it
         * runs after the configuration and the connection string have been applied.
         */
        public Builder settings(BiConsumer<Region, MongoClientSettings.Builder> customizer) {
            this.customizer = Objects.requireNonNull(customizer, "customizer");
            return this;
        }

        /**
         * Validates the configuration, creates the clients (the driver connects in the background) and
         * registers the health probes. If registering fails, the probes already registered are
         * unregistered and the clients closed before the failure is thrown.
         *
         * @throws InvalidConfigurationException naming the field, for an unknown region, an invalid
         *         connection string (masked), a missing database or an empty cluster list
         */
        public RegionalMongoClients build() {
            Topology topology = router.topology();
            if (uris.isEmpty()) {
                throw new InvalidConfigurationException("clusters", "{}",
                        "clusters must configure at least one region of " + topology.regions() + ", but was empty");
            }
            for (String id : uris.keySet()) {
                if (topology.regions().stream().noneMatch(r -> r.id().equals(id))) {
                    throw new InvalidConfigurationException("clusters", id, "clusters must name regions of the topology "
                            + topology.regions() + ", but was \"" + id + "\"");
                }
            }
            Map<Region, ConnectionString> parsed = new LinkedHashMap<>();
            for (Region region : topology.regions()) {
                String uri = uris.get(region.id());
                if (uri != null) {
                    parsed.put(region, ClusterSettings.parse(region, uri));
                }
            }
            RegionalMongoConfig effective = effectiveConfig();
            Map<Region, RegionCluster> clusters = RegionCluster.openAll(topology, parsed,
                    effective.database().orElse(null), effective.regionField(),
                    effective.defaultChoices(topology.local()), effective.chosenChoices(customizer));
            RegionalMongoClients result = new RegionalMongoClients(router, store, clusters, effective, clock);
            if (healthProbes) {
                result.registerProbes();
            }
            return result;
        }

        /** The configuration with the per-setting overrides in place of its own values. */
        private RegionalMongoConfig effectiveConfig() {
            if (overrides.isEmpty()) {
                return config;
            }
            RegionalMongoConfig.Builder b = config.toBuilder();
            overrides.values().forEach(setter -> setter.accept(b));
            return b.build();
        }

        /** Records a per-setting override after checking its value now, where the method always failed. */
        private Builder override(String setting, Consumer<RegionalMongoConfig.Builder> setter) {
            setter.accept(RegionalMongoConfig.builder());
            overrides.put(setting, setter);
            return this;
        }
    }
}
