package io.regionrouter.redis.internal;

import io.lettuce.core.KeyValue;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionUnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads a key from the first healthy region in preference order. A region that is DOWN is not
 * tried (no timeout is paid); a region that fails is reported to {@link RegionHealth} and the next
 * one is tried. With a hedge delay, the next region is also asked when the current one has not
 * answered in time; the first answer wins. A server error reply (such as WRONGTYPE) is returned to
 * the caller at once. Thread-safe.
 */
public final class ReadCoordinator {

    private static final byte[][] FIELDS = fields();

    private final Map<Region, RegionConnection> connections;
    private final RegionHealth health;
    private final ScheduledExecutorService timer;
    private final Duration hedgeDelay;

    /**
     * Creates the coordinator.
     *
     * @param hedgeDelay the hedge delay, or null for no hedging
     */
    public ReadCoordinator(Map<Region, RegionConnection> connections, RegionHealth health,
            ScheduledExecutorService timer, Duration hedgeDelay) {
        this.connections = connections;
        this.health = health;
        this.timer = timer;
        this.hedgeDelay = hedgeDelay;
    }

    /**
     * Reads the envelope of a key.
     *
     * @param key the key bytes
     * @param candidates the regions allowed to serve, in preference order
     * @return the envelope (null if absent) and the region that served it
     */
    public CompletableFuture<Result> read(byte[] key, List<Region> candidates) {
        List<Region> up = new ArrayList<>(candidates.size());
        for (Region r : candidates) {
            if (health.isUp(r)) {
                up.add(r);
            }
        }
        if (up.isEmpty()) {
            return CompletableFuture.failedFuture(new RegionUnavailableException(
                    "no region may serve the read: every allowed region " + candidates + " is DOWN", candidates));
        }
        return new Attempt(key, up).start();
    }

    /** Reads one region directly, without fallback. */
    public CompletableFuture<Envelope> readFrom(byte[] key, Region region) {
        try {
            return connections.get(region).async().hmget(key, FIELDS).toCompletableFuture()
                    .thenApply(ReadCoordinator::decode);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static Envelope decode(List<KeyValue<byte[], byte[]>> values) {
        byte[][] raw = new byte[values.size()][];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = values.get(i).getValueOrElse(null);
        }
        return EnvelopeCodec.fromHash(raw);
    }

    private static byte[][] fields() {
        byte[][] f = new byte[EnvelopeCodec.HASH_FIELDS.length][];
        for (int i = 0; i < f.length; i++) {
            f[i] = EnvelopeCodec.HASH_FIELDS[i].getBytes(StandardCharsets.US_ASCII);
        }
        return f;
    }

    /**
     * The outcome of a read.
     *
     * @param envelope the stored envelope, or null if the key is absent
     * @param servedBy the region that answered
     */
    public record Result(Envelope envelope, Region servedBy) {
    }

    private final class Attempt {
        private final byte[] key;
        private final List<Region> order;
        private final CompletableFuture<Result> result = new CompletableFuture<>();
        private int next;
        private int inFlight;
        private Throwable lastFailure;

        Attempt(byte[] key, List<Region> order) {
            this.key = key;
            this.order = order;
        }

        CompletableFuture<Result> start() {
            launchNext();
            return result;
        }

        private void launchNext() {
            Region region;
            synchronized (this) {
                if (result.isDone()) {
                    return;
                }
                if (next >= order.size()) {
                    if (inFlight == 0) {
                        result.completeExceptionally(new RegionUnavailableException(
                                "read failed in every available region " + order, order, lastFailure));
                    }
                    return;
                }
                region = order.get(next++);
                inFlight++;
            }
            readFrom(key, region).whenComplete((envelope, error) -> onResult(region, envelope, error));
            if (hedgeDelay != null && next < order.size()) {
                timer.schedule(this::launchNext, hedgeDelay.toNanos(), TimeUnit.NANOSECONDS);
            }
        }

        private void onResult(Region region, Envelope envelope, Throwable error) {
            synchronized (this) {
                inFlight--;
            }
            if (error == null) {
                result.complete(new Result(envelope, region));
                return;
            }
            Throwable cause = Failures.unwrap(error);
            if (Failures.isCommandError(cause)) {
                result.completeExceptionally(cause);
                return;
            }
            health.recordFailure(region, cause);
            synchronized (this) {
                lastFailure = cause;
            }
            launchNext();
        }
    }
}
