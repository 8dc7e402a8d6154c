package io.regionrouter.redis.internal;

import io.lettuce.core.RedisCommandExecutionException;
import io.netty.util.Timeout;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionUnavailableException;
import io.regionrouter.redis.ForeignValueException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads a key from the first healthy region in preference order. A region whose store is DOWN is
 * not tried (no timeout is paid); a region that cannot be reached or does not answer is reported to
 * the store's health and the next one is tried, as is a region that answers with a passing error
 * (LOADING, BUSY...). An error that another region cannot fix, such as a key holding a foreign value,
 * is returned to the caller at once and counts as an answer. With a hedge delay, the next region is
 * also asked when the current one has not answered in time; the first answer wins. Every read
 * completes within the operation timeout. Thread-safe.
 */
public final class ReadCoordinator {

    private static final byte[][] FIELDS = fields();

    private final Map<Region, RegionConnection> connections;
    private final RedisHealth health;
    private final ScheduledExecutorService hedgeTimer;
    private final Deadlines deadlines;
    private final Duration hedgeDelay;
    private final Duration operationTimeout;

    /**
     * Creates the coordinator.
     *
     * @param hedgeTimer runs hedges, or null without hedging
     * @param hedgeDelay the hedge delay, or null for no hedging
     * @param deadlines end reads that ran out of time
     * @param operationTimeout the bound of one read, fallbacks included
     */
    public ReadCoordinator(Map<Region, RegionConnection> connections, RedisHealth health,
            ScheduledExecutorService hedgeTimer, Duration hedgeDelay, Deadlines deadlines, Duration operationTimeout) {
        this.connections = connections;
        this.health = health;
        this.hedgeTimer = hedgeTimer;
        this.deadlines = deadlines;
        this.hedgeDelay = hedgeDelay;
        this.operationTimeout = operationTimeout;
    }

    /**
     * Reads the envelope of a key.
     *
     * @param keyText the key, for messages
     * @param key the key bytes
     * @param candidates the regions allowed to serve, in preference order
     * @return the envelope (null if absent) and the region that served it
     */
    public CompletableFuture<Result> read(String keyText, byte[] key, List<Region> candidates) {
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
        return new Attempt(keyText, key, up).start();
    }

    /** Reads one region directly, without fallback or health reports. */
    public CompletableFuture<Envelope> readFrom(String keyText, byte[] key, Region region) {
        try {
            // HGETALL rather than HMGET of the five fields: a foreign hash with none of them must not read as absent
            return connections.get(region).async().hgetall(key).toCompletableFuture()
                    .handle((values, error) -> {
                        if (error != null) {
                            throw new CompletionException(
                                    foreignType(Failures.unwrap(error), keyText, region));
                        }
                        return decode(values, keyText, region);
                    });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** A WRONGTYPE reply to HGETALL means the key holds another type than the module's hash. */
    private static Throwable foreignType(Throwable failure, String keyText, Region region) {
        if (failure instanceof RedisCommandExecutionException reply && String.valueOf(reply.getMessage())
                .startsWith("WRONGTYPE")) {
            return new ForeignValueException(keyText, region, "a value of another type than hash", reply);
        }
        return failure;
    }

    private static Envelope decode(Map<byte[], byte[]> hash, String keyText, Region region) {
        if (hash.isEmpty()) {
            return null;
        }
        byte[][] raw = new byte[FIELDS.length][];
        for (Map.Entry<byte[], byte[]> field : hash.entrySet()) {
            for (int i = 0; i < FIELDS.length; i++) {
                if (Arrays.equals(FIELDS[i], field.getKey())) {
                    raw[i] = field.getValue();
                }
            }
        }
        if (raw[0] == null) {
            throw new ForeignValueException(keyText, region, "a hash without a version field", null);
        }
        try {
            return EnvelopeCodec.fromHash(raw);
        } catch (IllegalStateException e) {
            throw new ForeignValueException(keyText, region, e.getMessage(), e);
        }
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
        private final String keyText;
        private final byte[] key;
        private final List<Region> order;
        private final CompletableFuture<Result> result = new CompletableFuture<>();
        private int next;
        private int inFlight;
        private Throwable lastFailure;

        Attempt(String keyText, byte[] key, List<Region> order) {
            this.keyText = keyText;
            this.key = key;
            this.order = order;
        }

        CompletableFuture<Result> start() {
            Timeout deadline;
            try {
                deadline = deadlines.after(operationTimeout, this::expire);
            } catch (RejectedExecutionException closing) {
                return CompletableFuture.failedFuture(new IllegalStateException(
                        "RegionalRedis is closing; read of key \"" + keyText + "\" not sent", closing));
            }
            result.whenComplete((r, e) -> deadline.cancel());
            launchNext();
            return result;
        }

        private void expire() {
            List<Region> tried;
            Throwable last;
            synchronized (this) {
                tried = List.copyOf(order.subList(0, next));
                last = lastFailure;
            }
            result.completeExceptionally(new RegionUnavailableException("read of key \"" + keyText
                    + "\" got no answer within the operation timeout " + operationTimeout + " from " + tried, tried,
                    last));
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
            readFrom(keyText, key, region).whenComplete((envelope, error) -> onResult(region, envelope, error));
            if (hedgeDelay != null && next < order.size()) {
                try {
                    hedgeTimer.schedule(this::launchNext, hedgeDelay.toNanos(), TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException closing) {
                    // no hedge while closing; the read in flight still answers or times out
                }
            }
        }

        private void onResult(Region region, Envelope envelope, Throwable error) {
            synchronized (this) {
                inFlight--;
            }
            if (error == null) {
                health.success(region);
                result.complete(new Result(envelope, region));
                return;
            }
            Throwable cause = Failures.unwrap(error);
            FailureKind kind = health.failure(region, cause);
            if (!kind.retryable()) {
                result.completeExceptionally(cause);
                return;
            }
            synchronized (this) {
                lastFailure = cause;
            }
            launchNext();
        }
    }
}
