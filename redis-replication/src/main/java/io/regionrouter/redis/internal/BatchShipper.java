package io.regionrouter.redis.internal;

import io.regionrouter.core.support.EventDispatcher;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.Limit;
import io.regionrouter.core.Region;
import io.regionrouter.redis.HintLogLostEvent;
import io.regionrouter.redis.HintsReplayedEvent;
import io.regionrouter.redis.ReplicationMode;
import io.regionrouter.redis.RpoExceededEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships the writes queued for each {@linkplain ReplicationMode#batched batched} region. The queue is
 * the region's part of the hint log (one stream per instance, in the local Redis), so a batch is
 * never only in memory. Every {@code maxDelay}, or as soon as the queue holds {@code maxBytes}, a
 * round reads up to {@code maxBytes} of queued writes, encodes and compresses them as one blob
 * ({@link BatchCodec}), adds it to the region's inbox stream in the region's own Redis, and only then
 * removes them from the log. A blob whose append was not confirmed stays queued and ships again; the
 * inbox applies with the version check, so a second copy changes nothing. The streams of stopped
 * instances (their lease ran out) are shipped too, which is how a restarted process's queue drains.
 *
 * <p>Residency: a queued write whose recorded target regions do not include the region is never put
 * in a batch; it is dropped, logged at ERROR and counted as lost. Writes older than the maximum hint
 * age are not shipped either: the repair takes them over, as for hints.
 *
 * <p>Each round also measures the recovery point: the age of the oldest write still queued, by the
 * time its entry was appended (the local Redis's clock); past the mode's bound it is logged and an
 * {@link RpoExceededEvent} published, at most once per bound. Thread-safe; rounds run on one thread.
 */
public final class BatchShipper implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BatchShipper.class);

    private final Region local;
    private final Map<Region, ReplicationMode> modes;
    private final Map<Region, RegionConnection> connections;
    private final RedisHealth health;
    private final HintLog hints;
    private final Stats stats;
    private final EventDispatcher listeners;
    private final RepairRequests repairs;
    private final int batchSize;
    private final Duration claimIdle;
    private final Duration callTimeout;
    private final LongSupplier wallMillis;
    private final long maxHintAgeMillis;
    private final byte[] inboxPrefix;
    private final ScheduledExecutorService scheduler;
    private final Map<Region, AtomicBoolean> nudged = new ConcurrentHashMap<>();
    private final Map<Region, Long> rpoMillis = new ConcurrentHashMap<>();
    private final Map<Region, Long> lastRpoEvent = new ConcurrentHashMap<>();
    private final Map<String, Boolean> groupReady = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * Creates the shipper and schedules a round per batched region every {@code maxDelay}.
     *
     * @param modes the batched regions and their modes (the local region excluded)
     * @param keyPrefix the library's key prefix: the inbox of region r is {@code <prefix>inbox:{r}}
     * @param wallMillis the wall clock, for the recovery point and the maximum hint age
     * @param scheduler the thread rounds run on; shut down by the owner
     */
    public BatchShipper(Region local, Map<Region, ReplicationMode> modes, Map<Region, RegionConnection> connections,
            RedisHealth health, HintLog hints, Stats stats, EventDispatcher listeners, RepairRequests repairs,
            int batchSize, Duration claimIdle, Duration commandTimeout, LongSupplier wallMillis,
            Duration maxHintAge, String keyPrefix, ScheduledExecutorService scheduler) {
        this.local = local;
        this.modes = Map.copyOf(modes);
        this.connections = connections;
        this.health = health;
        this.hints = hints;
        this.stats = stats;
        this.listeners = listeners;
        this.repairs = repairs;
        this.batchSize = batchSize;
        this.claimIdle = claimIdle;
        this.callTimeout = commandTimeout.multipliedBy(2);
        this.wallMillis = wallMillis;
        this.maxHintAgeMillis = maxHintAge.toMillis();
        this.inboxPrefix = (keyPrefix + "inbox:{").getBytes(StandardCharsets.UTF_8);
        this.scheduler = scheduler;
        modes.forEach((region, mode) -> {
            nudged.put(region, new AtomicBoolean());
            long every = mode.maxDelay().toNanos();
            scheduler.scheduleWithFixedDelay(() -> scheduledRound(region), every, every, TimeUnit.NANOSECONDS);
            // an append into a non-empty queue does not renew the lease, and a round may be minutes
            // apart or skipped while the target is cut off: the lease is kept on its own clock
            long renew = Math.max(1, claimIdle.toNanos() / 3);
            scheduler.scheduleWithFixedDelay(() -> keepLease(region), renew, renew, TimeUnit.NANOSECONDS);
        });
    }

    /** Returns the inbox stream key of a region. */
    public static byte[] inboxKey(String keyPrefix, Region region) {
        return (keyPrefix + "inbox:{" + region.id() + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** Returns whether writes to a region are batched. */
    public boolean batched(Region region) {
        return modes.containsKey(region);
    }

    /**
     * Says that a region's queue holds {@code queuedBytes}; past the mode's {@code maxBytes} a round
     * starts at once, rather than at the end of the delay.
     */
    public void queued(Region region, long queuedBytes) {
        ReplicationMode mode = modes.get(region);
        if (mode == null || queuedBytes < mode.maxBytes() || closed || !nudged.get(region).compareAndSet(false, true)) {
            return;
        }
        try {
            scheduler.execute(() -> {
                nudged.get(region).set(false);
                scheduledRound(region);
            });
        } catch (RejectedExecutionException closing) {
            nudged.get(region).set(false);
        }
    }

    /** Returns the last measured age of the oldest unshipped write for a region; zero if none. */
    public Duration rpo(Region region) {
        return Duration.ofMillis(rpoMillis.getOrDefault(region, 0L));
    }

    /** Runs one round for a region, logging instead of throwing. */
    void scheduledRound(Region region) {
        try {
            round(region);
        } catch (RuntimeException e) {
            LOG.warn("[redis {}] shipping the batch for region {} failed; will retry", local, region, e);
        }
    }

    /**
     * Measures the recovery point, then ships what is queued while both regions are UP.
     *
     * @return the number of writes shipped
     */
    public int round(Region region) {
        if (closed || !health.isUp(local)) {
            return 0;
        }
        measure(region);
        if (!health.isUp(region)) {
            return 0;
        }
        keepLease(region);
        checkLedger(region);
        int shipped = drain(region, hints.instance());
        try {
            for (String owner : await(hints.owners(region))) {
                if (closed || !health.isUp(region)) {
                    break;
                }
                if (owner.equals(hints.instance()) || await(hints.leased(region, owner))) {
                    continue;
                }
                shipped += drain(region, owner);
                if (await(hints.retire(region, owner))) {
                    groupReady.remove(region.id() + "/" + owner);
                }
            }
        } catch (TimeoutException | ExecutionException | RuntimeException e) {
            LOG.debug("[redis {}] could not ship the queues of stopped instances for {}: {}", local, region,
                    e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (shipped > 0) {
            measure(region);
        }
        return shipped;
    }

    /** The age of the oldest entry over every instance's stream for the region. */
    private void measure(Region region) {
        long oldest = Long.MAX_VALUE;
        try {
            for (String owner : await(hints.owners(region))) {
                List<StreamMessage<byte[], byte[]>> first = await(connections.get(local).async()
                        .xrange(hints.streamKey(region, owner), Range.create("-", "+"), Limit.from(1))
                        .toCompletableFuture());
                if (!first.isEmpty()) {
                    oldest = Math.min(oldest, idMillis(first.get(0).getId()));
                }
            }
        } catch (TimeoutException | ExecutionException | RuntimeException e) {
            LOG.debug("[redis {}] could not measure the queue of region {}: {}", local, region, e.toString());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        long now = wallMillis.getAsLong();
        long age = oldest == Long.MAX_VALUE ? 0 : Math.max(0, now - oldest);
        rpoMillis.put(region, age);
        Duration bound = modes.get(region).rpoBound();
        if (age > bound.toMillis()) {
            Long last = lastRpoEvent.get(region);
            if (last == null || now - last >= bound.toMillis()) {
                lastRpoEvent.put(region, now);
                LOG.warn("[redis {}] the oldest write queued for region {} is {} ms old, past the RPO bound of {}; "
                        + "it is kept in the hint log and ships once region {} is reachable", local, region, age,
                        bound, region);
                listeners.publish(new RpoExceededEvent(region, Duration.ofMillis(age), bound));
            }
        } else {
            lastRpoEvent.remove(region);
        }
    }

    /**
     * Whether a queued write may go to a region: its recorded target regions include it. A write
     * queued before the regions were recorded (an empty list) was queued for its target by the
     * residency rules of its time, and may go.
     */
    static boolean mayHold(Envelope envelope, Region region) {
        return envelope.regions().isEmpty() || Arrays.asList(envelope.regions().split(",")).contains(region.id());
    }

    private static long idMillis(String id) {
        int dash = id.indexOf('-');
        return Long.parseLong(dash < 0 ? id : id.substring(0, dash));
    }

    private void keepLease(Region region) {
        if (closed || hints.ledgerCount(region) <= 0) {
            return;
        }
        try {
            await(hints.renewLease(region));
        } catch (TimeoutException | ExecutionException | RuntimeException e) {
            LOG.debug("[redis {}] could not renew the queue lease for {}: {}", local, region, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** As the replayer does for hints: writes that vanished with their stream are never silent. */
    private void checkLedger(Region region) {
        long lost;
        try {
            lost = await(hints.checkLost(region));
        } catch (TimeoutException | ExecutionException | RuntimeException e) {
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (lost <= 0) {
            return;
        }
        groupReady.remove(region.id() + "/" + hints.instance());
        stats.of(region).hintsLost.add(lost);
        stats.of(region).hintsAbandoned.add(lost);
        LOG.error("[redis {}] the batch queue for region {} in the local Redis LOST {} writes of this instance (the "
                + "Redis restarted without persistence, or the stream was deleted); a repair of region {} is started",
                local, region, lost, region);
        listeners.publish(new HintLogLostEvent(region, local, lost));
        repairs.request(region, "its batch queue lost " + lost + " writes");
    }

    private int drain(Region region, String owner) {
        String group = region.id() + "/" + owner;
        int total = 0;
        long maxBytes = modes.get(region).maxBytes();
        try {
            if (!groupReady.containsKey(group)) {
                if (!await(hints.ensureGroup(region, owner))) {
                    return 0;
                }
                groupReady.put(group, true);
            }
            await(hints.claimStale(region, owner, claimIdle, batchSize));
            while (!closed && health.isUp(region)) {
                List<EnvelopeCodec.Hint> read = await(hints.read(region, owner, batchSize));
                if (read.isEmpty()) {
                    break;
                }
                // what is past maxBytes stays pending for this instance and is read first next time
                List<EnvelopeCodec.Hint> batch = new ArrayList<>();
                long bytes = 0;
                for (EnvelopeCodec.Hint h : read) {
                    if (!batch.isEmpty() && bytes + h.cost() > maxBytes) {
                        break;
                    }
                    batch.add(h);
                    bytes += h.cost();
                }
                int shipped = ship(region, owner, batch);
                if (shipped < 0) {
                    break;
                }
                total += shipped;
                if (batch.size() == read.size() && read.size() < batchSize) {
                    break;
                }
            }
        } catch (TimeoutException | ExecutionException | RuntimeException e) {
            Throwable cause = Failures.unwrap(e);
            if (String.valueOf(cause.getMessage()).startsWith("NOGROUP")) {
                groupReady.remove(group);
            }
            LOG.debug("[redis {}] shipping to {} stopped by a failure: {}", local, region, cause.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return total;
    }

    /**
     * Ships one batch and removes it from the log once the inbox has it.
     *
     * @return the writes shipped, or -1 if the batch was not confirmed (it stays queued)
     */
    private int ship(Region region, String owner, List<EnvelopeCodec.Hint> batch) throws InterruptedException {
        List<BatchCodec.Item> items = new ArrayList<>(batch.size());
        long oldest = wallMillis.getAsLong() - maxHintAgeMillis;
        int aged = 0;
        int lost = 0;
        long raw = 0;
        for (EnvelopeCodec.Hint h : batch) {
            if (h.envelope() == null) {
                lost++;
                LOG.error("[redis {}] queued write {} for region {} cannot be decoded and is dropped: it is LOST for "
                        + "that region", local, h.id(), region);
            } else if (!mayHold(h.envelope(), region)) {
                lost++;
                LOG.error("[redis {}] queued write {} of key {} may not be held by region {} (its regions are "
                        + "[{}]); not shipped", local, h.id(), Text.quote(new String(h.key(), StandardCharsets.UTF_8)),
                        region, h.envelope().regions());
            } else if (h.envelope().version().physicalMillis() < oldest) {
                aged++;
            } else {
                items.add(new BatchCodec.Item(h.key(), h.envelope()));
                raw += h.key().length + h.envelope().data().length;
            }
        }
        if (!items.isEmpty()) {
            byte[] blob = BatchCodec.encode(items);
            Map<byte[], byte[]> body = new LinkedHashMap<>();
            body.put(bytes("b"), blob);
            body.put(bytes("o"), bytes(local.id()));
            body.put(bytes("n"), bytes(Integer.toString(items.size())));
            byte[] inbox = concat(inboxPrefix, bytes(region.id() + "}"));
            try {
                await(connections.get(region).async().xadd(inbox, body).toCompletableFuture());
                health.success(region);
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                Throwable cause = Failures.unwrap(e);
                health.failure(region, cause);
                LOG.debug("[redis {}] batch of {} writes for {} not confirmed ({}); it stays queued", local,
                        items.size(), region, cause.toString());
                return -1;
            }
            stats.of(region).sent(raw, blob.length);
        }
        try {
            await(hints.remove(region, owner, batch));
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.debug("[redis {}] could not remove {} shipped writes for {}; they ship again", local, batch.size(),
                    region);
            return -1;
        }
        if (aged > 0) {
            LOG.warn("[redis {}] {} queued writes for region {} are older than redis.maxHintAge ({} ms) and are not "
                    + "shipped; a repair of region {} is started", local, aged, region, maxHintAgeMillis, region);
            repairs.request(region, aged + " queued writes were older than the maximum hint age");
        }
        stats.of(region).hintsAbandoned.add(aged + lost);
        stats.of(region).hintsLost.add(lost);
        stats.of(region).hintsReplayed.add(items.size());
        if (!items.isEmpty()) {
            listeners.publish(new HintsReplayedEvent(region, items.size()));
        }
        return items.size();
    }

    private <T> T await(CompletableFuture<T> future) throws InterruptedException, ExecutionException,
            TimeoutException {
        return future.get(callTimeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Stops future rounds; a running round ends after its current batch. */
    @Override
    public void close() {
        closed = true;
    }
}
