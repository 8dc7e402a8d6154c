package io.regionrouter.redis;

import io.lettuce.core.resource.ClientResources;
import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.OutcomeUnknownException;
import io.regionrouter.core.Region;
import io.regionrouter.core.Store;
import io.regionrouter.core.RegionEvent;
import io.regionrouter.core.RegionEventListener;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.RegionRouterException;
import io.regionrouter.core.RegionUnavailableException;
import io.regionrouter.core.support.EventDispatcher;
import io.regionrouter.core.support.TypedEventPublisher;
import io.regionrouter.redis.internal.Failures;
import io.regionrouter.redis.internal.ReplicationEngine;
import io.regionrouter.redis.internal.Text;
import io.regionrouter.redis.internal.TransportSecurity;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Active-active Redis across regions: one endpoint per region, writes fanned out to every region a
 * key may live in, reads served locally with fallback by proximity.
 *
 * <pre>{@code
 * RegionalRedis<String> redis = RegionalRedis.builder(router)
 *         .region("us", "rediss://us-cache:6379")
 *         .region("eu", "rediss://eu-cache:6379")
 *         .config(RegionalRedisConfig.builder().global("product:").build())
 *         .build();
 * redis.set("product:42", json, Duration.ofMinutes(10), AckPolicy.QUORUM);
 * String value = redis.get("product:42");
 * redis.forUser("alice").set("profile:alice", profile);   // undeclared: REGULATED, alice's regions only
 * }</pre>
 *
 * <p><b>Residency fails closed.</b> A key is GLOBAL, and goes to every region, only if a
 * {@link RegionalRedisConfig.Builder#global(String) global} prefix declares it. Every other key is
 * REGULATED for its owner: the user of {@link #forUser(String)} or of the current
 * {@link io.regionrouter.core.RegionContext} (or the context's region), and it is refused with
 * {@link IllegalArgumentException} when there is none. Keys under
 * {@link RegionalRedisConfig#keyPrefix()} ({@code rr:}) hold this module's hint log and counters;
 * every call of the application API (write, read, delete, {@link #readFrom}) refuses them with
 * {@link IllegalArgumentException} before anything is sent.
 *
 * <p><b>Endpoints use TLS</b> ({@code rediss://}); {@code redis://} is refused at {@link Builder#build()}
 * unless {@link RegionalRedisConfig.Builder#allowPlaintext(boolean)} opts in, and then logged at WARN.
 *
 * <p><b>Writes</b> carry a hybrid-logical-clock {@link Version}; each region applies a write only
 * if it is newer than what it holds, so regions converge on the last write whatever the order of
 * arrival. A write completes when its {@link AckPolicy} is met. A region that does not acknowledge
 * (or is DOWN, and so is not tried) gets the write in the hint log, a Redis Stream in the local
 * region's Redis, replayed when the region is UP again. If the local region's Redis is DOWN the hint
 * log is unavailable and writes of keys the local region may hold fail with
 * {@link HintLogUnavailableException} before anything is sent.
 *
 * <p><b>Batched regions</b> ({@link RegionalRedisConfig.Builder#replication}) get their writes through
 * the same hint log: queued there, shipped every {@code maxDelay} as one compressed batch into the
 * region's inbox, and applied there by the instances of that region with the same version check.
 * The ack policy counts the regions written at once; the caller is answered only once the write is
 * queued for every batched region. {@link #rpo(String)} shows how far a batched region lags.
 *
 * <p><b>Reads</b> go to the local region first (if the key may live there), then to the next region
 * by proximity among those allowed; regions that are DOWN are skipped without a timeout. Values
 * are returned plain; {@link #getVersioned} adds the version.
 *
 * <p><b>Health</b> is kept per (region, store) in the router's {@link io.regionrouter.core.RegionHealth},
 * under {@link RegionalRedisConfig#store()} ({@code redis} by default): this instance registers its
 * probes there, reports its calls there and asks only that store whether a region is UP, so another
 * store's verdict (the local PostgreSQL being DOWN) never stops a Redis call. Only a server that
 * could not be reached or did not answer counts as a failure; an error reply (WRONGTYPE, OOM,
 * a bad password...) or a value this module cannot decode means the server answered.
 *
 * <p><b>Every call is bounded.</b> The synchronous methods return or throw within
 * {@link RegionalRedisConfig#operationTimeout()} (1.5 s by default; the deadline runs on Lettuce's
 * 100 ms timer wheel, so allow one tick), hint appends included, and the futures of the asynchronous
 * ones complete within it. A write that ran out of time or lost its link
 * after it was sent, where no stored hint covers it, fails with {@link WriteOutcomeUnknownException}
 * (an {@link OutcomeUnknownException}): it may have been applied. A write whose failed regions are all
 * accounted for (hinted, or known not to have applied it) fails with
 * {@link WriteNotAcknowledgedException}. A key that holds a value this module did not write fails
 * with {@link ForeignValueException}, on its own for a read, as the cause of the failed region for a
 * write.
 *
 * <p>Thread-safe. Close it to stop replaying and to close the connections.
 *
 * @param <V> the value type
 */
public final class RegionalRedis<V> implements AutoCloseable {

    private final RegionRouter router;
    private final RegionalRedisConfig config;
    private final ValueSerializer<V> serializer;
    private final ReplicationEngine engine;
    private final EventPublisher publisher;

    /** How much longer than the operation timeout a synchronous call waits for the engine's own deadline. */
    private static final long AWAIT_SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private RegionalRedis(Builder<V> b) {
        this.router = b.router;
        this.config = b.config;
        this.serializer = b.serializer;
        this.engine = new ReplicationEngine(b.router, b.config, b.endpoints, b.resources, b.clock, System::nanoTime,
                b.listeners);
        this.publisher = new Publisher(engine.events());
    }

    /** Returns a builder with UTF-8 string values. */
    public static Builder<String> builder(RegionRouter router) {
        return new Builder<>(router, ValueSerializer.utf8());
    }

    /** Returns a builder with values serialized by {@code serializer}. */
    public static <V> Builder<V> builder(RegionRouter router, ValueSerializer<V> serializer) {
        return new Builder<>(router, Objects.requireNonNull(serializer, "serializer"));
    }

    // ---------------------------------------------------------------- writes

    /**
     * Writes a value without expiry, with the default ack policy; returns its version. Returns or
     * throws within the operation timeout; see {@link #set(String, Object, Duration, AckPolicy)}.
     */
    public Version set(String key, V value) {
        return awaitWrite(key, setAsync(key, value, null, config.defaultAck()));
    }

    /** Writes a value that expires after {@code ttl} (same instant in every region). */
    public Version set(String key, V value, Duration ttl) {
        return awaitWrite(key, setAsync(key, value, ttl, config.defaultAck()));
    }

    /** Writes a value without expiry with the given ack policy. */
    public Version set(String key, V value, AckPolicy ack) {
        return awaitWrite(key, setAsync(key, value, null, ack));
    }

    /**
     * Writes a value and waits, at most {@link RegionalRedisConfig#operationTimeout()}, for its ack
     * policy.
     *
     * @param ttl time to live, or null for no expiry
     * @return the version of the write
     * @throws WriteNotAcknowledgedException if the policy was not met and every failed region is
     *     accounted for (hinted, or known not to hold the write)
     * @throws WriteOutcomeUnknownException if the policy was not met and the write may have been
     *     applied in a region that no stored hint covers
     * @throws HintLogUnavailableException if the local region's Redis is DOWN; nothing was sent
     */
    public Version set(String key, V value, Duration ttl, AckPolicy ack) {
        return awaitWrite(key, setAsync(key, value, ttl, ack));
    }

    /** Asynchronous {@link #set(String, Object)}. */
    public CompletionStage<Version> setAsync(String key, V value) {
        return setAsync(key, value, null, config.defaultAck());
    }

    /**
     * Writes a value to every region the key lives in.
     *
     * @param key the key, not null or empty
     * @param value the value, not null
     * @param ttl time to live, positive and at least 1 ms, or null for none
     * @param ack the ack policy
     * @return completes with the version when the policy is met, always within the operation
     *     timeout; fails with {@link WriteNotAcknowledgedException} or
     *     {@link WriteOutcomeUnknownException} naming the failed regions, or with
     *     {@link HintLogUnavailableException}
     * @throws NullPointerException if key, value or ack is null
     * @throws IllegalArgumentException if the key is empty or under {@link RegionalRedisConfig#keyPrefix()},
     *     if the ttl is not positive, or if the key is REGULATED (it matches no GLOBAL prefix) and no owner
     *     is known: no user here, and no user or region in the current RegionContext
     */
    public CompletionStage<Version> setAsync(String key, V value, Duration ttl, AckPolicy ack) {
        return writeFor(key, value, ttl, ack, null).thenApply(WriteResult::version);
    }

    /**
     * Writes a value like {@link #set(String, Object, Duration, AckPolicy)} and says whether it was
     * applied or already superseded by a newer version, and by which. Returns or throws within the
     * operation timeout, with the exceptions of {@code set}.
     *
     * @param ttl time to live, or null for none
     */
    public WriteResult write(String key, V value, Duration ttl, AckPolicy ack) {
        return awaitWrite(key, writeAsync(key, value, ttl, ack));
    }

    /** Asynchronous {@link #write(String, Object, Duration, AckPolicy)}. */
    public CompletionStage<WriteResult> writeAsync(String key, V value, Duration ttl, AckPolicy ack) {
        return writeFor(key, value, ttl, ack, null);
    }

    /**
     * Deletes a key with the default ack policy (writes a versioned tombstone). Returns or throws
     * within the operation timeout, with the exceptions of {@link #set(String, Object, Duration, AckPolicy)}.
     */
    public Version delete(String key) {
        return awaitWrite(key, deleteAsync(key, config.defaultAck()));
    }

    /** Deletes a key with the given ack policy, within the operation timeout. */
    public Version delete(String key, AckPolicy ack) {
        return awaitWrite(key, deleteAsync(key, ack));
    }

    /** Asynchronous {@link #delete(String)}. */
    public CompletionStage<Version> deleteAsync(String key) {
        return deleteAsync(key, config.defaultAck());
    }

    /**
     * Deletes a key everywhere it lives by writing a tombstone that is kept for
     * {@link RegionalRedisConfig#tombstoneTtl()}, so a late replay of an older write cannot bring the
     * key back.
     */
    public CompletionStage<Version> deleteAsync(String key, AckPolicy ack) {
        return delete(key, ack, null);
    }

    CompletionStage<WriteResult> writeFor(String key, V value, Duration ttl, AckPolicy ack, String userId) {
        checkKey(key, "written");
        Objects.requireNonNull(value, "value must not be null");
        Objects.requireNonNull(ack, "ack must not be null");
        if (ttl != null && (ttl.isNegative() || ttl.toMillis() < 1)) {
            throw new IllegalArgumentException("ttl must be >= 1 ms, but was " + ttl);
        }
        checkOpen();
        return engine.write(key, serializer.serialize(value), ttl, ack, userId);
    }

    CompletionStage<Version> delete(String key, AckPolicy ack, String userId) {
        checkKey(key, "deleted");
        Objects.requireNonNull(ack, "ack must not be null");
        checkOpen();
        return engine.delete(key, ack, userId).thenApply(WriteResult::version);
    }

    // ---------------------------------------------------------------- reads

    /**
     * Returns the value, or null if the key is absent, deleted or expired. Returns or throws within
     * the operation timeout.
     *
     * @throws io.regionrouter.core.RegionUnavailableException if no allowed region answered in time
     * @throws ForeignValueException if the key holds a value this module did not write
     */
    public V get(String key) {
        return awaitRead(key, getAsync(key));
    }

    /** Asynchronous {@link #get}. */
    public CompletionStage<V> getAsync(String key) {
        return getVersionedAsync(key).thenApply(v -> v.map(Versioned::value).orElse(null));
    }

    /** Returns the value with its version, expiry and the region that served it, within the operation timeout. */
    public Optional<Versioned<V>> getVersioned(String key) {
        return awaitRead(key, getVersionedAsync(key));
    }

    /**
     * Reads a key: local region first, then the next allowed UP region by proximity.
     *
     * @return completes empty if the key is absent, always within the operation timeout; fails with
     *     {@link io.regionrouter.core.RegionUnavailableException} if no allowed region could answer, or
     *     with {@link ForeignValueException}
     */
    public CompletionStage<Optional<Versioned<V>>> getVersionedAsync(String key) {
        return read(key, null);
    }

    CompletionStage<Optional<Versioned<V>>> read(String key, String userId) {
        checkKey(key, "read");
        checkOpen();
        return engine.read(key, userId).thenApply(this::toVersioned);
    }

    /**
     * Reads a key from one region only, without fallback or health checks; for diagnostics. Returns
     * or throws within the operation timeout.
     *
     * @throws InvalidConfigurationException if the region is not in the topology
     */
    public Optional<Versioned<V>> readFrom(String regionId, String key) {
        checkKey(key, "read");
        Objects.requireNonNull(regionId, "regionId must not be null");
        Region region = router.topology().region(regionId);
        checkOpen();
        return awaitRead(key, engine.readFrom(region, key).thenApply(this::toVersioned));
    }

    private Optional<Versioned<V>> toVersioned(Optional<ReplicationEngine.Stored> stored) {
        return stored.map(s -> new Versioned<>(serializer.deserialize(s.data()), s.version(), s.expireAtMillis(),
                s.servedBy()));
    }

    /** Returns a view that writes and reads REGULATED keys on behalf of {@code userId}. */
    public UserScopedRedis<V> forUser(String userId) {
        Objects.requireNonNull(userId, "userId must not be null");
        return new UserScopedRedis<>(this, userId);
    }

    /**
     * Returns a view for exactly one region, as {@link io.regionrouter.core.RegionContext#forRegion}
     * means it in every module: reads served by that region only, writes homed there, and every call
     * refused with {@link io.regionrouter.core.RegionUnavailableException} while its Redis is DOWN.
     *
     * @param region the region
     * @return the view
     */
    public RegionScopedRedis<V> forRegion(Region region) {
        Objects.requireNonNull(region, "region must not be null");
        return new RegionScopedRedis<>(this, region);
    }

    // ---------------------------------------------------------------- hints, stats, lifecycle

    /**
     * Runs one replay round now, for every region that is UP; returns the number of hints this call
     * replayed. Waits at most the operation timeout, also for a round that is already running; what
     * is left stays in the log for the next round.
     */
    public int replayHints() {
        checkOpen();
        return engine.replay();
    }

    /**
     * Runs one anti-entropy repair pass now and returns what it did. It SCANs every region that is UP,
     * compares the versions each holds of every key, and writes the newest version (value, tombstone or
     * retained expired version) to each region that holds an older one or none, at most
     * {@link RegionalRedisConfig#repairRate()} keys per second; so it takes about (keys over all regions) /
     * repairRate. A repair never overwrites a newer write and never brings a deleted key back. Regions
     * that are DOWN are skipped and named in the report. Repairs also run by themselves after a hint
     * log was lost or overflowed, for hints past {@link RegionalRedisConfig#maxHintAge()}, and when a
     * region's Redis came back empty ({@link RepairCompletedEvent}).
     *
     * <p>Unlike the other calls, this one is not bounded by the operation timeout: it runs as long as
     * the keyspace takes at the configured rate.
     */
    public RepairReport repair() {
        checkOpen();
        return engine.repair();
    }

    /**
     * Returns the number of hints waiting in the hint log for a region. Returns or throws within the
     * operation timeout.
     *
     * @throws InvalidConfigurationException if the region is not in the topology
     * @throws io.regionrouter.core.RegionUnavailableException if the local region's Redis cannot be read
     */
    public long pendingHints(String regionId) {
        Region region = router.topology().region(regionId);
        return awaitRead("hint log of " + region, engine.pendingHints(region));
    }

    /**
     * Returns the bytes the hints waiting for a region count against
     * {@link RegionalRedisConfig#hintLogMaxBytes()}. Returns or throws within the operation timeout.
     *
     * @throws InvalidConfigurationException if the region is not in the topology
     * @throws io.regionrouter.core.RegionUnavailableException if the local region's Redis cannot be read
     */
    public long pendingHintBytes(String regionId) {
        Region region = router.topology().region(regionId);
        return awaitRead("hint log bytes of " + region, engine.pendingHintBytes(region));
    }

    /**
     * Returns the recovery point of a {@linkplain ReplicationMode#batched batched} region: the age of the
     * oldest write queued for it and not yet shipped, as last measured by the shipper (every
     * {@code maxDelay}), {@link Duration#ZERO} when nothing waits or the region is not batched. A write
     * counts as shipped once its batch is in the region's inbox; the region's own instances apply it
     * within their poll interval ({@link RegionalRedisConfig#replayInterval()}).
     *
     * @throws InvalidConfigurationException if the region is not in the topology
     */
    public Duration rpo(String regionId) {
        return engine.rpo(router.topology().region(regionId));
    }

    /** Returns counters per target region, including bytes sent and the estimated transfer cost. */
    public Map<Region, RegionStats> stats() {
        return engine.stats();
    }

    /** Returns the estimated cross-region transfer cost of everything sent so far. */
    public double estimatedTransferCost() {
        return engine.stats().values().stream().mapToDouble(RegionStats::estimatedTransferCost).sum();
    }

    /**
     * Returns this instance's writer id, {@code <local region>/[<instanceId>.]<runtime part>}: drawn
     * when the instance was built and unique to it, so no two instances share one, even when built
     * from the same {@link RegionalRedisConfig}.
     */
    public String writerId() {
        return engine.writerId();
    }

    /** Returns the local region. */
    public Region localRegion() {
        return engine.local();
    }

    /** Returns the configuration. */
    public RegionalRedisConfig config() {
        return config;
    }

    /**
     * This instance's events, to subscribe to by type. Consumers run on the threads that raise the
     * events (Lettuce's and the replayer's) and must be fast.
     *
     * @return the publisher
     */
    public EventPublisher eventPublisher() {
        return publisher;
    }

    /** The events of a {@link RegionalRedis}. */
    public interface EventPublisher extends io.regionrouter.core.EventPublisher {

        /**
         * Subscribes to: a region missed a write and it was kept in the hint log.
         *
         * @param consumer the consumer
         * @return this publisher
         */
        EventPublisher onHintQueued(Consumer<? super HintQueuedEvent> consumer);

        /**
         * Subscribes to: hints replayed into a region that came back.
         *
         * @param consumer the consumer
         * @return this publisher
         */
        EventPublisher onHintsReplayed(Consumer<? super HintsReplayedEvent> consumer);

        /**
         * Subscribes to: a write a region missed could not be kept (counted exactly; the repair follows).
         *
         * @param consumer the consumer
         * @return this publisher
         */
        EventPublisher onHintLost(Consumer<? super HintLostEvent> consumer);

        /**
         * Subscribes to: a hint log found lost with its Redis (stream or group missing); the repair follows.
         *
         * @param consumer the consumer
         * @return this publisher
         */
        EventPublisher onHintLogLost(Consumer<? super HintLogLostEvent> consumer);

        /**
         * Subscribes to: a full hint log dropped its oldest hints; the repair follows.
         *
         * @param consumer the consumer
         * @return this publisher
         */
        EventPublisher onHintOverflow(Consumer<? super HintOverflowEvent> consumer);

        /**
         * Subscribes to: an anti-entropy pass finished, with its report.
         *
         * @param consumer the consumer
         * @return this publisher
         */
        EventPublisher onRepairCompleted(Consumer<? super RepairCompletedEvent> consumer);

        /**
         * Subscribes to: a batched region's oldest unshipped write is older than its RPO bound.
         *
         * @param consumer the consumer
         * @return this publisher
         */
        EventPublisher onRpoExceeded(Consumer<? super RpoExceededEvent> consumer);

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
        public EventPublisher onHintQueued(Consumer<? super HintQueuedEvent> consumer) {
            return on(HintQueuedEvent.class, consumer);
        }

        @Override
        public EventPublisher onHintsReplayed(Consumer<? super HintsReplayedEvent> consumer) {
            return on(HintsReplayedEvent.class, consumer);
        }

        @Override
        public EventPublisher onHintLost(Consumer<? super HintLostEvent> consumer) {
            return on(HintLostEvent.class, consumer);
        }

        @Override
        public EventPublisher onHintLogLost(Consumer<? super HintLogLostEvent> consumer) {
            return on(HintLogLostEvent.class, consumer);
        }

        @Override
        public EventPublisher onHintOverflow(Consumer<? super HintOverflowEvent> consumer) {
            return on(HintOverflowEvent.class, consumer);
        }

        @Override
        public EventPublisher onRepairCompleted(Consumer<? super RepairCompletedEvent> consumer) {
            return on(RepairCompletedEvent.class, consumer);
        }

        @Override
        public EventPublisher onRpoExceeded(Consumer<? super RpoExceededEvent> consumer) {
            return on(RpoExceededEvent.class, consumer);
        }
    }

    /** Adds a listener for hint events. */
    public void addListener(RegionEventListener listener) {
        engine.addListener(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Stops replaying, unregisters this instance's health probes from the router's RegionHealth and
     * closes the connections. Hints stay in the log for the next instance. Idempotent.
     */
    @Override
    public void close() {
        engine.close();
    }

    private void checkOpen() {
        if (engine.isClosed()) {
            throw new IllegalStateException("RegionalRedis " + engine.writerId() + " is closed");
        }
    }

    /**
     * Refuses a null or empty key, and a key under the module's own prefix: writing there could turn
     * a hint stream into a hash and lose every hint in it, and reading or deleting it is no
     * application's business.
     */
    private void checkKey(String key, String access) {
        Objects.requireNonNull(key, "key must not be null");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("key must not be empty");
        }
        if (key.startsWith(config.keyPrefix())) {
            throw new IllegalArgumentException("key " + Text.quote(key) + " is under redis.keyPrefix \""
                    + config.keyPrefix() + "\", which holds the hint log and counters of RegionalRedis: it cannot"
                    + " be " + access + " through the application API");
        }
    }

    /**
     * Waits for a write. The engine completes every write within the operation timeout; the wait
     * itself gives up a little later, so that a late timer cannot leave a caller blocked.
     */
    <T> T awaitWrite(String key, CompletionStage<T> stage) {
        try {
            return await(stage);
        } catch (TimeoutException e) {
            throw new OutcomeUnknownException("write of key \"" + key + "\" was not answered within "
                    + config.operationTimeout() + ": it may have been applied", e, null, engine.local());
        }
    }

    /** Waits for a read, a little longer than the operation timeout within which the engine completes it. */
    <T> T awaitRead(String what, CompletionStage<T> stage) {
        try {
            return await(stage);
        } catch (TimeoutException e) {
            throw new RegionUnavailableException("read of \"" + what + "\" was not answered within "
                    + config.operationTimeout(), List.of(engine.local()), e);
        }
    }

    private <T> T await(CompletionStage<T> stage) throws TimeoutException {
        try {
            return stage.toCompletableFuture().get(config.operationTimeout().toNanos() + AWAIT_SLACK_NANOS,
                    TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegionRouterException("interrupted while waiting for Redis", e);
        } catch (ExecutionException e) {
            Throwable cause = Failures.unwrap(e);
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new RegionRouterException("Redis call failed: " + cause, cause);
        }
    }

    /**
     * Builds a {@link RegionalRedis}. Every region of the router's topology needs an endpoint.
     * Not thread-safe.
     *
     * @param <V> the value type
     */
    public static final class Builder<V> {
        private final RegionRouter router;
        private final ValueSerializer<V> serializer;
        private final Map<Region, RedisEndpoint> endpoints = new LinkedHashMap<>();
        private final List<RegionEventListener> listeners = new ArrayList<>();
        private RegionalRedisConfig config = RegionalRedisConfig.defaults();
        private LongSupplier clock = System::currentTimeMillis;
        private Boolean healthProbes;
        private Store store;
        private ClientResources resources;

        private Builder(RegionRouter router, ValueSerializer<V> serializer) {
            this.router = Objects.requireNonNull(router, "router");
            this.serializer = serializer;
        }

        /**
         * Declares a region's standalone Redis by its URI. The same shape as every module's per-region
         * declaration ({@code RegionalDataSources.Builder.region}, {@code RegionalMongoClients.Builder.region}).
         *
         * @param regionId the region's id
         * @param uri the Redis URI ({@code rediss://} unless plaintext is allowed)
         * @return this builder
         * @throws InvalidConfigurationException if the region is not in the topology or the URI is bad
         */
        public Builder<V> region(String regionId, String uri) {
            Region region = router.topology().region(regionId);
            try {
                endpoints.put(region, RedisEndpoint.standalone(uri));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new InvalidConfigurationException("redis.endpoint." + regionId, null, e.getMessage(), e);
            }
            return this;
        }

        /**
         * Declares a region's Redis: standalone or a Redis Cluster ({@link RedisEndpoint#cluster}).
         *
         * @param region the region
         * @param endpoint its endpoint
         * @return this builder
         */
        public Builder<V> region(Region region, RedisEndpoint endpoint) {
            Objects.requireNonNull(endpoint, "endpoint");
            endpoints.put(router.topology().region(Objects.requireNonNull(region, "region").id()), endpoint);
            return this;
        }

        /**
         * As {@link #region(String, String)}, under its former name.
         *
         * @deprecated use {@link #region(String, String)}, the per-region declaration of every module
         */
        @Deprecated(since = "0.2", forRemoval = true)
        public Builder<V> endpoint(String regionId, String uri) {
            return region(regionId, uri);
        }

        /**
         * As {@link #region(Region, RedisEndpoint)}, under its former name.
         *
         * @deprecated use {@link #region(Region, RedisEndpoint)}
         */
        @Deprecated(since = "0.2", forRemoval = true)
        public Builder<V> endpoint(Region region, RedisEndpoint endpoint) {
            return region(region, endpoint);
        }

        /**
         * Whether one probe per region joins the router's {@code RegionHealth}: the same switch, in the
         * same place, as every module's builder. Default on (or the configuration's
         * {@link RegionalRedisConfig#registerHealthProbes()}, when this is not called).
         *
         * @param enabled whether to register the probes
         * @return this builder
         */
        public Builder<V> healthProbes(boolean enabled) {
            this.healthProbes = enabled;
            return this;
        }

        /**
         * Sets the store whose health this instance reports and consults, for an application with two
         * Redis deployments in one region: the same call, in the same place, as every module's
         * builder. Default {@link Store#REDIS} (or the configuration's {@link RegionalRedisConfig#store()},
         * when this is not called).
         *
         * @param store the store
         * @return this builder
         */
        public Builder<V> store(Store store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** Sets the configuration. Default: {@link RegionalRedisConfig#defaults()}. */
        public Builder<V> config(RegionalRedisConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * Sets the wall clock used for versions and expiry, for tests. Default the system clock.
         *
         * @param clock the wall clock
         * @return this builder
         */
        public Builder<V> clock(InstantSource clock) {
            Objects.requireNonNull(clock, "clock");
            this.clock = clock::millis;
            return this;
        }

        /** Shares existing Lettuce client resources (they are then not shut down on close). */
        public Builder<V> clientResources(ClientResources resources) {
            this.resources = Objects.requireNonNull(resources, "resources");
            return this;
        }

        /** Adds a listener for hint events. */
        public Builder<V> listener(RegionEventListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Connects to every region (waiting at most the connect timeout each; a region that cannot
         * be reached is retried in the background) and starts the replayer.
         *
         * @throws InvalidConfigurationException if a region has no endpoint, or an endpoint is
         *     {@code redis://} (plaintext) and {@link RegionalRedisConfig#allowPlaintext()} is off: the
         *     message names the field ({@code redis.endpoint.<region>}) and the masked URI
         */
        @SuppressWarnings("deprecation") // the two switches now live here and win over the configuration's
        public RegionalRedis<V> build() {
            if ((healthProbes != null && healthProbes != config.registerHealthProbes())
                    || (store != null && !store.equals(config.store()))) {
                RegionalRedisConfig.Builder b = config.toBuilder();
                if (healthProbes != null) {
                    b.registerHealthProbes(healthProbes);
                }
                if (store != null) {
                    b.store(store);
                }
                config = b.build();
            }
            List<Region> missing = new ArrayList<>();
            for (Region r : router.topology().regions()) {
                if (!endpoints.containsKey(r)) {
                    missing.add(r);
                }
            }
            if (!missing.isEmpty()) {
                throw new InvalidConfigurationException("redis.endpoints", missing,
                        "redis.endpoints must cover every region of the topology, but lacks " + missing);
            }
            Map<Region, RedisEndpoint> ordered = new LinkedHashMap<>();
            router.topology().regions().forEach(r -> ordered.put(r, endpoints.get(r)));
            TransportSecurity.check(ordered, config.allowPlaintext(), router.topology().local());
            for (String id : config.replicationModes().keySet()) {
                if (!router.topology().regions().contains(Region.of(id))) {
                    throw new InvalidConfigurationException("redis.replication." + id, id, "redis.replication."
                            + id + " names a region that is not in the topology " + router.topology().regions());
                }
            }
            return new RegionalRedis<>(this);
        }
    }
}
