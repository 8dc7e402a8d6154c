package io.regionrouter.redis.internal;

import io.regionrouter.core.support.EventDispatcher;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.regionrouter.core.DataClass;
import io.regionrouter.core.Region;
import io.regionrouter.redis.RepairCompletedEvent;
import io.regionrouter.redis.RepairReport;
import io.regionrouter.redis.Version;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Anti-entropy repair: compares every region's copy of every key and brings the regions that hold
 * an older version, or none, up to the newest one.
 *
 * <p>A pass SCANs each region that is UP in batches. For a batch it first reads only the versions
 * ({@code v}, {@code w}) and the regions each write was sent to ({@code r}) from every UP region,
 * and then, for the keys where some region is behind, the whole stored value from the region with the
 * newest version, which it writes to each region behind with the same version-checked script as a
 * live write. A concurrent newer write therefore always wins, and a tombstone or a retained expired
 * version is copied like a value, so a repair never brings a deleted key back. A key is copied only
 * to the regions its writer sent it to (for a GLOBAL key written before that was recorded: every
 * region). Keys under the module's prefix and keys holding foreign values are skipped. The pass is
 * limited to {@code repairRate} keys per second.
 *
 * <p>Requests from the replication paths (a lost hint log, an overflow, hints past the maximum age, a
 * Redis that came back empty, found by {@link EmptyRegionDetector}) are coalesced and run on this instance's repair thread; a pass that had
 * to skip a region is run again later. One pass runs at a time. Thread-safe.
 */
public final class AntiEntropy implements RepairRequests, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AntiEntropy.class);
    private static final byte[][] VERSION_FIELDS = {ascii("v"), ascii("w"), ascii("r")};
    private static final long RETRY_MILLIS = 1_000;

    private final Region local;
    private final List<Region> regions;
    private final Map<Region, RegionConnection> connections;
    private final RedisHealth health;
    private final TargetResolver targets;
    private final byte[] keyPrefix;
    private final EventDispatcher listeners;
    private final int batchSize;
    private final int rate;
    private final LongSupplier ticker;
    private final Duration callTimeout;
    private final ScheduledExecutorService executor;
    private final Map<Region, String> reasons = new ConcurrentHashMap<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final ReentrantLock passLock = new ReentrantLock();
    private volatile boolean closed;

    /** Creates the repair; {@code executor} runs the passes that were requested. */
    public AntiEntropy(Region local, List<Region> regions, Map<Region, RegionConnection> connections,
            RedisHealth health, TargetResolver targets, String keyPrefix, EventDispatcher listeners, int batchSize,
            int rate, Duration commandTimeout, LongSupplier ticker, ScheduledExecutorService executor) {
        this.local = local;
        this.regions = List.copyOf(regions);
        this.connections = connections;
        this.health = health;
        this.targets = targets;
        this.keyPrefix = keyPrefix.getBytes(StandardCharsets.UTF_8);
        this.listeners = listeners;
        this.batchSize = batchSize;
        this.rate = rate;
        this.callTimeout = commandTimeout.multipliedBy(2);
        this.ticker = ticker;
        this.executor = executor;
    }

    @Override
    public void request(Region region, String reason) {
        if (closed) {
            return;
        }
        if (reasons.putIfAbsent(region, reason) == null) {
            LOG.warn("[redis {}] region {} will be repaired: {}", local, region, reason);
        }
        schedule(0);
    }

    private void schedule(long delayMillis) {
        if (closed || !scheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.schedule(this::runRequested, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            scheduled.set(false);
        }
    }

    private void runRequested() {
        scheduled.set(false);
        if (closed || reasons.isEmpty()) {
            return;
        }
        Map<Region, String> wanted = new LinkedHashMap<>(reasons);
        try {
            RepairReport report = pass("requested for " + wanted);
            if (report.complete()) {
                wanted.keySet().forEach(r -> reasons.remove(r, wanted.get(r)));
            }
        } catch (RuntimeException e) {
            LOG.warn("[redis {}] repair pass failed; will retry", local, e);
        }
        if (!reasons.isEmpty()) {
            schedule(RETRY_MILLIS);
        }
    }

    /**
     * Runs one full pass now, on the calling thread; waits for a pass already running to end first.
     *
     * @param reason why, for the log and the event
     */
    public RepairReport pass(String reason) {
        passLock.lock();
        try {
            return runPass(reason);
        } finally {
            passLock.unlock();
        }
    }

    private RepairReport runPass(String reason) {
        long start = ticker.getAsLong();
        List<Region> up = new ArrayList<>();
        Set<Region> skipped = new HashSet<>();
        for (Region r : regions) {
            if (health.isUp(r)) {
                up.add(r);
            } else {
                skipped.add(r);
            }
        }
        Map<Region, Long> repaired = new LinkedHashMap<>();
        regions.forEach(r -> repaired.put(r, 0L));
        long scanned = 0;
        RateLimit limit = new RateLimit(rate, ticker);
        for (Region source : up) {
            ScanCursor cursor = ScanCursor.INITIAL;
            try {
                while (!closed) {
                    KeyScanCursor<byte[]> page = await(connections.get(source).async()
                            .scan(cursor, ScanArgs.Builder.limit(batchSize)).toCompletableFuture());
                    List<byte[]> keys = new ArrayList<>(page.getKeys().size());
                    for (byte[] key : page.getKeys()) {
                        if (!startsWith(key, keyPrefix)) {
                            keys.add(key);
                        }
                    }
                    if (!keys.isEmpty()) {
                        if (!limit.acquire(keys.size())) {
                            skipped.add(source);
                            break;
                        }
                        scanned += keys.size();
                        reconcile(keys, up, skipped, repaired);
                    }
                    if (page.isFinished()) {
                        break;
                    }
                    cursor = page;
                }
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                LOG.warn("[redis {}] repair could not scan region {}: {}", local, source,
                        Failures.unwrap(e).toString());
                skipped.add(source);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                skipped.add(source);
                break;
            }
        }
        List<Region> skippedInOrder = regions.stream().filter(skipped::contains).toList();
        RepairReport report = new RepairReport(scanned, repaired, skippedInOrder,
                Duration.ofNanos(ticker.getAsLong() - start));
        if (report.totalRepaired() > 0 || !report.complete()) {
            LOG.warn("[redis {}] repair ({}): {} keys compared, {} written {}, regions skipped {}, in {} ms", local,
                    reason, scanned, report.totalRepaired(), repaired, skippedInOrder, report.took().toMillis());
        } else {
            LOG.info("[redis {}] repair ({}): {} keys compared, none behind, in {} ms", local, reason, scanned,
                    report.took().toMillis());
        }
        listeners.publish(new RepairCompletedEvent(report, reason));
        return report;
    }

    /** Versions first, from every UP region; then values only for keys some region is behind on. */
    private void reconcile(List<byte[]> keys, List<Region> up, Set<Region> skipped, Map<Region, Long> repaired)
            throws InterruptedException {
        Map<Region, List<CompletableFuture<List<KeyValue<byte[], byte[]>>>>> versions = new LinkedHashMap<>();
        for (Region r : up) {
            if (skipped.contains(r)) {
                continue;
            }
            List<CompletableFuture<List<KeyValue<byte[], byte[]>>>> replies = new ArrayList<>(keys.size());
            for (byte[] key : keys) {
                replies.add(connections.get(r).async().hmget(key, VERSION_FIELDS).toCompletableFuture());
            }
            versions.put(r, replies);
        }
        List<Plan> plans = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            Plan plan = plan(keys.get(i), i, versions, skipped);
            if (plan != null) {
                plans.add(plan);
            }
        }
        if (plans.isEmpty()) {
            return;
        }
        List<CompletableFuture<Map<byte[], byte[]>>> values = new ArrayList<>(plans.size());
        for (Plan p : plans) {
            values.add(connections.get(p.holder).async().hgetall(p.key).toCompletableFuture());
        }
        List<CompletableFuture<Object>> writes = new ArrayList<>();
        List<Region> writtenTo = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++) {
            Plan p = plans.get(i);
            Envelope envelope;
            try {
                envelope = EnvelopeCodec.fromHashMap(await(values.get(i)));
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                LOG.debug("[redis {}] repair could not read key {} from {}: {}", local, text(p.key), p.holder,
                        e.toString());
                skipped.add(p.holder);
                continue;
            }
            if (envelope == null) {
                continue; // expired or deleted meanwhile; the next pass sees the new state
            }
            byte[][] args = EnvelopeCodec.scriptArgs(envelope);
            for (Region behind : p.behind) {
                try {
                    writes.add(ScriptRunner.run(connections.get(behind).async(), Scripts.APPLY_SHA, Scripts.APPLY,
                            ScriptOutputType.MULTI, new byte[][] {p.key}, args));
                } catch (RuntimeException e) {
                    writes.add(CompletableFuture.failedFuture(e));
                }
                writtenTo.add(behind);
            }
        }
        for (int i = 0; i < writes.size(); i++) {
            Region behind = writtenTo.get(i);
            try {
                Object reply = await(writes.get(i));
                if (reply instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Long code && code != 0) {
                    repaired.merge(behind, 1L, Long::sum);
                }
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                Throwable cause = Failures.unwrap(e);
                if (Failures.classify(cause).retryable()) {
                    skipped.add(behind);
                }
                LOG.debug("[redis {}] repair write to {} failed: {}", local, behind, cause.toString());
            }
        }
    }

    /** Decides, from the versions alone, which regions are behind on a key and where the newest copy is. */
    private Plan plan(byte[] key, int index, Map<Region, List<CompletableFuture<List<KeyValue<byte[], byte[]>>>>> all,
            Set<Region> skipped) throws InterruptedException {
        Map<Region, Version> held = new LinkedHashMap<>();
        Map<Region, String> sentTo = new LinkedHashMap<>();
        Set<Region> answered = new HashSet<>();
        for (Map.Entry<Region, List<CompletableFuture<List<KeyValue<byte[], byte[]>>>>> e : all.entrySet()) {
            List<KeyValue<byte[], byte[]>> fields;
            try {
                fields = await(e.getValue().get(index));
            } catch (ExecutionException | TimeoutException | RuntimeException failure) {
                Throwable cause = Failures.unwrap(failure);
                if (String.valueOf(cause.getMessage()).startsWith("WRONGTYPE")) {
                    return null; // a foreign value: never touched
                }
                skipped.add(e.getKey());
                continue;
            }
            answered.add(e.getKey());
            byte[] v = fields.get(0).getValueOrElse(null);
            if (v == null) {
                continue;
            }
            try {
                held.put(e.getKey(), new Version(EnvelopeCodec.parseHex(text(v)),
                        text(fields.get(1).getValueOrElse(new byte[0]))));
            } catch (IllegalArgumentException foreign) {
                return null;
            }
            byte[] r = fields.get(2).getValueOrElse(null);
            if (r != null) {
                sentTo.put(e.getKey(), text(r));
            }
        }
        if (held.isEmpty()) {
            return null;
        }
        Region holder = null;
        Version newest = null;
        for (Map.Entry<Region, Version> e : held.entrySet()) {
            if (newest == null || e.getValue().compareTo(newest) > 0) {
                newest = e.getValue();
                holder = e.getKey();
            }
        }
        Set<Region> belongs = belongsTo(text(key), sentTo.get(holder), held.keySet());
        List<Region> behind = new ArrayList<>();
        for (Region r : belongs) {
            if (!answered.contains(r)) {
                continue; // DOWN or failed: already counted as skipped
            }
            Version v = held.get(r);
            if (v == null || v.compareTo(newest) < 0) {
                behind.add(r);
            }
        }
        return behind.isEmpty() ? null : new Plan(key, holder, behind);
    }

    private Set<Region> belongsTo(String key, String sentTo, Set<Region> holders) {
        Set<Region> out = new HashSet<>(holders);
        if (sentTo != null && !sentTo.isEmpty()) {
            for (String id : sentTo.split(",")) {
                for (Region r : regions) {
                    if (r.id().equals(id)) {
                        out.add(r);
                    }
                }
            }
        } else if (targets.dataClass(key) == DataClass.GLOBAL) {
            out.addAll(regions);
        }
        return out;
    }

    private <T> T await(CompletableFuture<T> f) throws InterruptedException, ExecutionException, TimeoutException {
        return f.get(callTimeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Stops accepting requests; a running pass ends after its current batch. */
    @Override
    public void close() {
        closed = true;
    }

    private record Plan(byte[] key, Region holder, List<Region> behind) {
    }
}
