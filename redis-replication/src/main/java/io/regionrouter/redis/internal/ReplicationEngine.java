package io.regionrouter.redis.internal;

import io.regionrouter.core.support.EventDispatcher;
import io.lettuce.core.resource.ClientResources;
import io.regionrouter.core.HealthProbe;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionContext;
import io.regionrouter.core.RegionEventListener;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.RegionState;
import io.regionrouter.core.RegionStateChangedEvent;
import io.regionrouter.core.RegionUnavailableException;
import io.regionrouter.core.Store;
import io.regionrouter.redis.AckPolicy;
import io.regionrouter.redis.ForeignValueException;
import io.regionrouter.redis.RedisEndpoint;
import io.regionrouter.redis.RegionStats;
import io.regionrouter.redis.RegionalRedisConfig;
import io.regionrouter.redis.ReplicationMode;
import io.regionrouter.redis.Version;
import io.regionrouter.redis.WriteResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the connections, the hint log, the write and read paths and the replayer together and owns
 * their lifecycle. Works on bytes; the public facade adds serialization and argument checks. Health
 * is kept under the configured store only: its probes are registered there, every path asks that
 * store whether a region is UP, and the replay that follows a recovery listens to that store's
 * changes alone. Thread-safe.
 */
public final class ReplicationEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicationEngine.class);

    private final RegionHealth health;
    private final RedisHealth storeHealth;
    private final Store store;
    private final Region local;
    private final RegionalRedisConfig config;
    private final Hlc hlc;
    private final String writerId;
    private final Map<Region, RegionConnection> connections;
    private final ClientResources resources;
    private final boolean ownsResources;
    private final TargetResolver targets;
    private final ValueCompressor compressor;
    private final Stats stats;
    private final EventDispatcher listeners;
    private final HintLog hintLog;
    private final WriteCoordinator writer;
    private final BatchShipper shipper;
    private final BatchInbox inbox;
    private final ScheduledExecutorService batchScheduler;
    private final ReadCoordinator reader;
    private final HintReplayer replayer;
    private final ScheduledExecutorService replayScheduler;
    private final ScheduledExecutorService hedgeTimer;
    private final ScheduledExecutorService repairExecutor;
    private final AntiEntropy antiEntropy;
    private final EmptyRegionDetector emptyRegions;
    private volatile boolean closed;
    private final Map<Region, HealthProbe> probes = new LinkedHashMap<>();
    private final RegionEventListener replayWhenUp;

    /**
     * Connects to every region and starts the replayer.
     *
     * @param router the router (topology, directory, health)
     * @param config the settings
     * @param endpoints one endpoint per region of the topology
     * @param sharedResources client resources to share, or null to create (and later shut down) one
     * @param clock wall clock in epoch ms for versions and expiry
     * @param ticker monotonic nanoseconds, for time budgets
     * @param initialListeners listeners for hint events
     */
    public ReplicationEngine(RegionRouter router, RegionalRedisConfig config, Map<Region, RedisEndpoint> endpoints,
            ClientResources sharedResources, LongSupplier clock, LongSupplier ticker,
            List<RegionEventListener> initialListeners) {
        this.health = router.health();
        this.store = config.store();
        this.local = router.topology().local();
        this.config = config;
        this.hlc = new Hlc(clock, config.maxClockOffset().toMillis());
        String instance = WriterIds.newInstanceId(config.instanceId());
        this.writerId = local.id() + "/" + instance;
        this.ownsResources = sharedResources == null;
        this.resources = ownsResources ? ReconnectDelays.ownedResources(config.maxReconnectDelay())
                : ReconnectDelays.sharedResources(sharedResources, config.maxReconnectDelay());
        this.listeners = new EventDispatcher("redis " + local, initialListeners);
        this.targets = new TargetResolver(router, config.namespaces());
        this.compressor = new ValueCompressor(config.compression(), config.compressionThreshold());
        List<Region> regions = router.topology().regions();
        this.storeHealth = new RedisHealth(health, store, regions);
        this.stats = new Stats(regions, local, config.transferPricePerGb());
        Map<Region, RegionConnection> conns = new LinkedHashMap<>();
        for (Region r : regions) {
            RedisEndpoint endpoint = endpoints.get(r);
            conns.put(r, endpoint.cluster() ? new ClusterRegionConnection(r, endpoint, config, resources)
                    : new StandaloneRegionConnection(r, endpoint, config, resources));
        }
        this.connections = Map.copyOf(conns);
        this.hintLog = new HintLog(connections.get(local), config.keyPrefix(), config.hintLogMaxLength(),
                config.hintLogMaxBytes(), instance, config.replayClaimIdle());
        Deadlines deadlines = new Deadlines(resources.timer(), resources.eventExecutorGroup());
        this.repairExecutor = daemonScheduler("rr-redis-repair-" + local);
        this.antiEntropy = new AntiEntropy(local, targets.preference(), connections, storeHealth, targets,
                config.keyPrefix(), listeners, config.repairBatchSize(), config.repairRate(), config.commandTimeout(),
                ticker, repairExecutor);
        this.emptyRegions = new EmptyRegionDetector(local, targets.preference(), connections, storeHealth,
                config.keyPrefix(), config.commandTimeout(), antiEntropy);
        Map<Region, ReplicationMode> batched = new LinkedHashMap<>();
        for (Region r : regions) {
            ReplicationMode mode = config.replication(r.id());
            if (!r.equals(local) && mode.isBatched()) {
                batched.put(r, mode);
            }
        }
        this.batchScheduler = daemonScheduler("rr-redis-batch-" + local);
        this.shipper = new BatchShipper(local, batched, connections, storeHealth, hintLog, stats, listeners,
                antiEntropy, config.replayBatchSize(), config.replayClaimIdle(), config.commandTimeout(),
                hlc::physicalMillis, config.maxHintAge(), config.keyPrefix(), batchScheduler);
        this.inbox = new BatchInbox(local, connections.get(local), storeHealth, listeners, config.keyPrefix(), instance,
                config.replayClaimIdle(), config.commandTimeout());
        batchScheduler.scheduleWithFixedDelay(inbox::scheduledPoll, 0, config.replayInterval().toNanos(),
                TimeUnit.NANOSECONDS);
        HintTraces traces = new HintTraces(router.observationRegistry());
        this.writer = new WriteCoordinator(local, connections, storeHealth, hintLog, hlc, stats, listeners, deadlines,
                config.operationTimeout(), antiEntropy, config.maxClockOffset(), traces, shipper);
        this.hedgeTimer = config.hedgeDelay().isPresent() ? daemonScheduler("rr-redis-hedge-" + local) : null;
        this.reader = new ReadCoordinator(connections, storeHealth, hedgeTimer, config.hedgeDelay().orElse(null),
                deadlines, config.operationTimeout());
        // the hint log of a batched region is its batch queue: the shipper drains it, not the replayer
        List<Region> replayed = new ArrayList<>(targets.preference());
        replayed.removeAll(batched.keySet());
        this.replayer = new HintReplayer(local, replayed, connections, storeHealth, hintLog, stats,
                listeners, config.replayBatchSize(), config.commandTimeout(), config.replayClaimIdle(), ticker,
                antiEntropy, hlc::physicalMillis, config.maxHintAge(), traces);
        if (config.registerHealthProbes()) {
            for (Region r : regions) {
                HealthProbe probe = connections.get(r)::probe;
                health.register(r, store, probe);
                probes.put(r, probe);
            }
        }
        this.replayScheduler = daemonScheduler("rr-redis-replay-" + local);
        long interval = config.replayInterval().toNanos();
        replayScheduler.scheduleWithFixedDelay(() -> {
            replayer.scheduledRound();
            emptyRegions.check();
        }, 0, interval, TimeUnit.NANOSECONDS);
        this.replayWhenUp = event -> {
            if (event instanceof RegionStateChangedEvent e && e.store().equals(store) && e.to() == RegionState.UP
                    && !closed) {
                try {
                    replayScheduler.execute(replayer::scheduledRound);
                } catch (RejectedExecutionException closing) {
                    LOG.debug("[redis {}] replay after {} came UP skipped: closing", local, e.region());
                }
            }
        };
        health.addListener(replayWhenUp);
    }

    private static ScheduledExecutorService daemonScheduler(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Writes a value to every region its key lives in.
     *
     * @param ttl time to live, or null for none
     */
    public CompletableFuture<WriteResult> write(String key, byte[] raw, Duration ttl, AckPolicy ack, String userId) {
        RegionUnavailableException refused = namedRegionRefusal(targets.namedRegion(userId), key, "written");
        if (refused != null) {
            return CompletableFuture.failedFuture(refused);
        }
        List<Region> regions = targets.targets(key, userId);
        byte[] compressed = compressor.maybeCompress(raw);
        long timestamp = hlc.next();
        long expireAt = ttl == null ? 0 : hlc.physicalMillis() + ttl.toMillis();
        long tombstoneExpireAt = ttl == null ? 0 : expireAt + config.tombstoneTtl().toMillis();
        Envelope envelope = new Envelope(new Version(timestamp, writerId),
                compressed == null ? 0 : Envelope.DEFLATED, compressed == null ? raw : compressed, expireAt,
                tombstoneExpireAt, regionIds(regions));
        return writer.write(key, bytes(key), envelope, raw.length, regions, ack);
    }

    /** Writes a tombstone, kept for the configured tombstone TTL, to every region the key lives in. */
    public CompletableFuture<WriteResult> delete(String key, AckPolicy ack, String userId) {
        RegionUnavailableException refused = namedRegionRefusal(targets.namedRegion(userId), key, "deleted");
        if (refused != null) {
            return CompletableFuture.failedFuture(refused);
        }
        List<Region> regions = targets.targets(key, userId);
        long timestamp = hlc.next();
        long expireAt = hlc.physicalMillis() + config.tombstoneTtl().toMillis();
        Envelope envelope = new Envelope(new Version(timestamp, writerId), Envelope.TOMBSTONE, new byte[0], expireAt,
                expireAt, regionIds(regions));
        return writer.write(key, bytes(key), envelope, 0, regions, ack);
    }

    /** Reads a key with fallback; empty if absent or deleted. Completes within the operation timeout. */
    public CompletableFuture<Optional<Stored>> read(String key, String userId) {
        Region named = targets.namedRegion(userId);
        if (named != null) {
            RegionUnavailableException refused = namedRegionRefusal(named, key, "read");
            return refused != null ? CompletableFuture.failedFuture(refused) : readFrom(named, key);
        }
        return reader.read(key, bytes(key), targets.targets(key, userId))
                .thenApply(r -> toStored(key, r.envelope(), r.servedBy()));
    }

    /**
     * Refuses a call whose context names a region ({@code named}, null if none) that is not in the
     * topology or whose store is DOWN: a named region means exactly that region, in every module.
     * Null when the call may go on.
     */
    private RegionUnavailableException namedRegionRefusal(Region named, String key, String what) {
        if (named == null) {
            return null;
        }
        RegionContext ctx = RegionContext.current().orElseThrow();
        String user = ctx.userId().orElse(null);
        if (!connections.containsKey(named)) {
            return new RegionUnavailableException("region " + named + " named by " + ctx + " is not in the topology "
                    + connections.keySet() + "; key " + Text.quote(key) + " not " + what, user, List.of(named), null);
        }
        if (!storeHealth.isUp(named)) {
            return new RegionUnavailableException("region " + named + " is DOWN for " + store + " and " + ctx
                    + " names it explicitly; key " + Text.quote(key) + " not " + what + ", never sent elsewhere", user,
                    List.of(named), null);
        }
        return null;
    }

    /** Reads a key from one region, without fallback; bounded by the command timeout. */
    public CompletableFuture<Optional<Stored>> readFrom(Region region, String key) {
        return reader.readFrom(key, bytes(key), region).thenApply(e -> toStored(key, e, region));
    }

    /** The ids of the last target list, kept because GLOBAL keys always get the same list instance. */
    private volatile Map.Entry<List<Region>, String> lastRegionIds;

    private String regionIds(List<Region> regions) {
        Map.Entry<List<Region>, String> last = lastRegionIds;
        if (last != null && last.getKey() == regions) {
            return last.getValue();
        }
        String ids = joinIds(regions);
        lastRegionIds = Map.entry(regions, ids);
        return ids;
    }

    private static String joinIds(List<Region> regions) {
        StringBuilder ids = new StringBuilder();
        for (Region r : regions) {
            if (ids.length() > 0) {
                ids.append(',');
            }
            ids.append(r.id());
        }
        return ids.toString();
    }

    /** An expired value stays stored, version included, until its retention ends; it reads as absent. */
    private Optional<Stored> toStored(String key, Envelope e, Region servedBy) {
        if (e != null) {
            // reads move the clock too, so a write that follows a read orders after what it read
            hlc.observe(e.version().timestamp());
        }
        if (e == null || e.tombstone() || e.expiredAt(hlc.physicalMillis())) {
            return Optional.empty();
        }
        byte[] data;
        try {
            data = e.deflated() ? ValueCompressor.decompress(e.data()) : e.data();
        } catch (IllegalStateException corrupt) {
            throw new ForeignValueException(key, servedBy, corrupt.getMessage(), corrupt);
        }
        return Optional.of(new Stored(data, e.version(), e.expireAtMillis(), servedBy));
    }

    /** Runs one replay round now, within the operation timeout. */
    public int replay() {
        return replayer.round(config.operationTimeout());
    }

    /** Runs one repair pass now, on the calling thread. */
    public io.regionrouter.redis.RepairReport repair() {
        return antiEntropy.pass("called by the application");
    }

    /** Returns the number of hints waiting for a region; bounded by the command timeout. */
    public CompletableFuture<Long> pendingHints(Region region) {
        try {
            return hintLog.length(region);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new RegionUnavailableException("the hint log in local region "
                    + local + " cannot be read", List.of(local), e));
        }
    }

    /** Returns the bytes of the hints waiting for a region; bounded by the command timeout. */
    public CompletableFuture<Long> pendingHintBytes(Region region) {
        try {
            return hintLog.usedBytes(region);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new RegionUnavailableException("the hint log in local region "
                    + local + " cannot be read", List.of(local), e));
        }
    }

    /** Returns the age of the oldest write queued for a batched region and not yet shipped; zero if none. */
    public Duration rpo(Region region) {
        return shipper.rpo(region);
    }

    /** Returns the writes this instance applied from batches shipped to its region. */
    public long batchWritesApplied() {
        return inbox.applied();
    }

    /** Returns counters per region. */
    public Map<Region, RegionStats> stats() {
        return stats.snapshot();
    }

    /** Returns the writer id. */
    public String writerId() {
        return writerId;
    }

    /** Returns the local region. */
    public Region local() {
        return local;
    }

    /** Adds a listener. */
    public void addListener(RegionEventListener listener) {
        listeners.add(listener);
    }

    /** The dispatcher every event of this instance goes through. */
    public EventDispatcher events() {
        return listeners;
    }

    /** Returns whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /** Stops the replayer and closes connections (and the client resources if owned). Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        health.removeListener(replayWhenUp);
        probes.forEach((region, probe) -> health.unregister(region, store, probe));
        shipper.close();
        inbox.close();
        batchScheduler.shutdownNow();
        replayer.close();
        antiEntropy.close();
        replayScheduler.shutdownNow();
        repairExecutor.shutdownNow();
        releaseLeases();
        if (hedgeTimer != null) {
            hedgeTimer.shutdownNow();
        }
        connections.values().forEach(RegionConnection::close);
        if (ownsResources) {
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        }
        LOG.debug("[redis {}] closed", local);
    }

    /** Lets the other instances drain this one's hints at once rather than after the lease runs out. */
    private void releaseLeases() {
        for (Region target : targets.preference()) {
            try {
                hintLog.releaseLease(target).get(config.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                LOG.debug("[redis {}] could not release the hint lease for {}: {}", local, target, e.toString());
                return;
            }
        }
    }

    private static byte[] bytes(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A value as stored.
     *
     * @param data the uncompressed value bytes
     * @param version its version
     * @param expireAtMillis absolute expiry, 0 for none
     * @param servedBy the region that answered
     */
    public record Stored(byte[] data, Version version, long expireAtMillis, Region servedBy) {
    }
}
