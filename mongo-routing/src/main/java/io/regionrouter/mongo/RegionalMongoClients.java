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
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One {@link MongoClient} per region cluster, and routing of users and GLOBAL data to them.
 *
 * <pre>{@code
 * RegionalMongoClients mongo = RegionalMongoClients.builder(router)
 *     .cluster("us", "mongodb://mongo-us.internal:27017")
 *     .cluster("eu", "mongodb://mongo-eu.internal:27017")
 *     .database("app")
 *     .build();
 * mongo.forUser("alice").getCollection("orders").insertOne(new Document("region", "eu").append("total", 12));
 * Document product = mongo.readGlobal(db -> db.getCollection("products").find(eq("_id", 7)).first());
 * }</pre>
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
 * {@link #DEFAULT_OPERATION_TIMEOUT} ({@code timeoutMS}), which covers server selection (itself at
 * most {@link #DEFAULT_SERVER_SELECTION_TIMEOUT}), the pool, the connect, the send and the reply, and
 * for a cursor its whole life (the driver's default {@code timeoutMode} for non-tailable cursors). A
 * document write through a database handed out here that was sent but got no answer throws
 * {@link OutcomeUnknownException}: it may have been applied; the driver's exception is the cause.
 * The raw {@link #client(Region)} has the same timeouts but reports nothing and wraps nothing.
 *
 * <p>Thread-safe; close it to close every client.
 */
public final class RegionalMongoClients implements AutoCloseable {

    /** Default write concern: majority, journaled, with a {@link #DEFAULT_WTIMEOUT} wtimeout. */
    public static final Duration DEFAULT_WTIMEOUT = Duration.ofSeconds(5);
    /** Default write concern: {@code {w: "majority", j: true, wtimeout: 5000}}. */
    public static final WriteConcern DEFAULT_WRITE_CONCERN =
            WriteConcern.MAJORITY.withJournal(true).withWTimeout(DEFAULT_WTIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    /**
     * Default server selection timeout: 5 s instead of the driver's 30 s. With core's health defaults
     * the probe declares a dead cluster DOWN in about 2 s, after which routing stops sending calls to
     * it; a caller should not hold a thread 30 s for a cluster that routing has already given up on.
     * 5 s still rides out a brief primary step-down; a full election can take longer and then
     * surfaces as a {@code MongoTimeoutException}, a "could not reach" failure of the store.
     */
    public static final Duration DEFAULT_SERVER_SELECTION_TIMEOUT = Duration.ofSeconds(5);
    /** Default connect timeout (driver default 10 s); the driver's monitors also use it as heartbeat timeout. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /**
     * Default client-side operation timeout ({@code timeoutMS}): 10 s, for every operation of the
     * synchronous API, from server selection to the reply, and for a cursor from the first batch to
     * the last. Without one, an operation in flight when its region is partitioned waits forever for
     * a reply (the driver's socket read timeout defaults to none). Disabling it
     * ({@code operationTimeout(null)}, or {@code timeoutMS=0} in the connection string) leaves reads
     * and writes unbounded unless {@code socketTimeoutMS} is set.
     */
    public static final Duration DEFAULT_OPERATION_TIMEOUT = Duration.ofSeconds(10);
    /** Default application name, shown in the server's logs and {@code currentOp}. */
    public static final String DEFAULT_APPLICATION_NAME = "region-router";
    /** Default replica-set tag holding a member's region. */
    public static final String DEFAULT_REGION_TAG = RegionAwareServerSelector.DEFAULT_TAG_NAME;

    private static final Logger LOG = LoggerFactory.getLogger(RegionalMongoClients.class);

    private final RegionRouter router;
    private final Store store;
    private final Map<Region, RegionCluster> clusters;
    /** The store's health in each region with a cluster, consulted and fed on every call. */
    private final Map<Region, StoreHealth> healthOf;
    private final String regionField;
    private final boolean moveFences;
    private final java.time.InstantSource clock;
    private final Map<Region, HealthProbe> registeredProbes = new ConcurrentHashMap<>();

    private RegionalMongoClients(RegionRouter router, Store store, Map<Region, RegionCluster> clusters,
                                 String regionField, boolean moveFences, java.time.InstantSource clock) {
        this.moveFences = moveFences;
        this.clock = clock;
        this.router = router;
        this.store = store;
        this.clusters = clusters;
        this.regionField = regionField;
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

    /** The name of the field that holds a document's home region. */
    public String regionField() {
        return regionField;
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
                                com.mongodb.client.model.Filters.ne(regionField, region.id())),
                        com.mongodb.client.model.Aggregates.group("$" + regionField,
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
        return sb.append("regionField=").append(regionField).append('}').toString();
    }

    private MongoDatabase regulated(Region region, String userId, Access access) {
        return regulated(region, userId, access, false);
    }

    private MongoDatabase regulated(Region region, String userId, Access access, boolean exact) {
        RegionCluster cluster = cluster(region);
        // A READ route may have fallen back to a read-only copy; the writes it would take are checked when made.
        Runnable writeCheck = userId != null && access == Access.READ ? () -> router.checkWritable(userId, region) : null;
        if (moveFences && userId != null) {
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

    /** Builder for {@link RegionalMongoClients}; every default can be overridden. Not thread-safe. */
    public static final class Builder {
        private final RegionRouter router;
        private final Map<String, String> uris = new LinkedHashMap<>();
        private String database;
        private String regionTag = DEFAULT_REGION_TAG;
        private String regionField = ResidencyGuard.DEFAULT_REGION_FIELD;
        private ReadPreference readPreference;
        private WriteConcern writeConcern;
        private Duration serverSelectionTimeout;
        private Duration connectTimeout;
        private Duration operationTimeout = DEFAULT_OPERATION_TIMEOUT;
        private boolean operationTimeoutSet;
        private String applicationName;
        private boolean healthProbes = true;
        private Store store = Store.MONGO;
        private BiConsumer<Region, MongoClientSettings.Builder> customizer;
        private boolean moveFences;
        private java.time.InstantSource clock = java.time.InstantSource.system();

        private Builder(RegionRouter router) {
            this.router = Objects.requireNonNull(router, "router");
        }

        /**
         * Whether every document write of a database routed for a user ({@link #forUser},
         * {@link #forCurrentContext}) first reads the user's move marker in that region's database and
         * is refused while a {@link MongoUserMover} freezes the user there
         * ({@link io.regionrouter.core.UserFrozenException}) or after the user moved away
         * ({@link io.regionrouter.core.UserMovedAwayException}).
         * Costs one indexed read per write. Turn it on in every instance when users are moved.
         * Default off.
         */
        public Builder moveFences(boolean on) {
            this.moveFences = on;
            return this;
        }

        /**
         * The wall clock against which a move freeze's bound is judged ({@link #moveFences}). Default
         * the system clock.
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

        /** The database name; default: the one in each connection string (required somewhere). */
        public Builder database(String database) {
            if (database == null || database.isBlank() || database.contains(".") || database.contains(" ")) {
                throw new InvalidConfigurationException("database", database,
                        "database must be a non-blank name without '.' or spaces, but was \"" + database + "\"");
            }
            this.database = database;
            return this;
        }

        /** The replica-set tag holding a member's region, used by the default read preference. */
        public Builder regionTag(String regionTag) {
            this.regionTag = nonBlank("regionTag", regionTag);
            return this;
        }

        /**
         * The document field holding a document's home region; default {@code region}. A top-level
         * field name: no {@code .}, not starting with {@code $}.
         */
        public Builder regionField(String regionField) {
            nonBlank("regionField", regionField);
            if (!ResidencyGuard.isTopLevelFieldName(regionField)) {
                throw new InvalidConfigurationException("regionField", regionField, "regionField must be a top-level"
                        + " field name (no '.', not starting with '$'), but was \"" + regionField + "\"");
            }
            this.regionField = regionField;
            return this;
        }

        /** Overrides the default read preference (nearest, local region's tag set first). */
        public Builder readPreference(ReadPreference readPreference) {
            this.readPreference = Objects.requireNonNull(readPreference, "readPreference");
            return this;
        }

        /** Overrides {@link #DEFAULT_WRITE_CONCERN}. */
        public Builder writeConcern(WriteConcern writeConcern) {
            this.writeConcern = Objects.requireNonNull(writeConcern, "writeConcern");
            return this;
        }

        /** Overrides {@link #DEFAULT_SERVER_SELECTION_TIMEOUT}; must be positive. */
        public Builder serverSelectionTimeout(Duration timeout) {
            this.serverSelectionTimeout = atMost("serverSelectionTimeout", positive("serverSelectionTimeout", timeout),
                    Duration.ofMinutes(10));
            return this;
        }

        /** Overrides {@link #DEFAULT_CONNECT_TIMEOUT}; must be positive. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = atMost("connectTimeout", positive("connectTimeout", timeout), Duration.ofMinutes(5));
            return this;
        }

        /** Overrides {@link #DEFAULT_OPERATION_TIMEOUT}; {@code null} disables the client-side timeout. */
        public Builder operationTimeout(Duration timeout) {
            this.operationTimeout = timeout == null ? null
                    : atMost("operationTimeout", positive("operationTimeout", timeout), Duration.ofHours(1));
            this.operationTimeoutSet = true;
            return this;
        }

        /** Overrides {@link #DEFAULT_APPLICATION_NAME}; at most 128 bytes in UTF-8 (a driver limit). */
        public Builder applicationName(String applicationName) {
            nonBlank("applicationName", applicationName);
            int bytes = applicationName.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (bytes > 128) {
                throw new InvalidConfigurationException("applicationName", applicationName,
                        "applicationName must be at most 128 bytes in UTF-8, but was " + bytes + " bytes");
            }
            this.applicationName = applicationName;
            return this;
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

        /** Last word on each region's driver settings (pool sizes, TLS, credentials, listeners...). */
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
            ClusterSettings.Choices defaults = new ClusterSettings.Choices(
                    defaultReadPreference(regionTag, topology.local()), DEFAULT_WRITE_CONCERN,
                    DEFAULT_SERVER_SELECTION_TIMEOUT, DEFAULT_CONNECT_TIMEOUT,
                    operationTimeoutSet ? null : DEFAULT_OPERATION_TIMEOUT, DEFAULT_APPLICATION_NAME, null);
            ClusterSettings.Choices chosen = new ClusterSettings.Choices(readPreference, writeConcern,
                    serverSelectionTimeout, connectTimeout, operationTimeoutSet ? operationTimeout : null,
                    applicationName, customizer);
            Map<Region, RegionCluster> clusters = RegionCluster.openAll(topology, parsed, database, regionField,
                    defaults, chosen);
            RegionalMongoClients result = new RegionalMongoClients(router, store, clusters, regionField, moveFences, clock);
            if (healthProbes) {
                result.registerProbes();
            }
            return result;
        }

        private static String nonBlank(String field, String value) {
            if (value == null || value.isBlank()) {
                throw new InvalidConfigurationException(field, value,
                        field + " must not be blank, but was \"" + value + "\"");
            }
            return value;
        }

        private static Duration positive(String field, Duration value) {
            if (value == null || value.isZero() || value.isNegative()) {
                throw new InvalidConfigurationException(field, value, field + " must be > 0, but was " + value);
            }
            return value;
        }

        private static Duration atMost(String field, Duration value, Duration max) {
            if (value.compareTo(max) > 0) {
                throw new InvalidConfigurationException(field, value, field + " must be <= " + max + ", but was " + value);
            }
            return value;
        }
    }
}
