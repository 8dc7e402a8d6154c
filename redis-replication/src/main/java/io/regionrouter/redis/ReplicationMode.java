package io.regionrouter.redis;

import io.regionrouter.core.InvalidConfigurationException;
import java.time.Duration;
import java.util.Objects;

/**
 * How writes reach one remote region: {@link #IMMEDIATE}, each write sent on its own as it is made
 * (the default), or {@linkplain #batched(Duration, long) batched}: each write is appended to the
 * durable hint log in the local region's Redis, and a shipper sends the region's queue every
 * {@code maxDelay}, or sooner once {@code maxBytes} are queued, compressed as one unit. The batch
 * lands in an inbox in the remote region's Redis, where the {@link RegionalRedis} instances of that
 * region apply it with the same version check as a live write, so the last write still wins by
 * version. A batched write counts for the ack policy once its hint is stored, never before: what was
 * acknowledged is on disk in the local region (as far as its Redis persists), not only in memory.
 *
 * <p>The price is a recovery point: the remote region lags by up to {@code maxDelay} plus the
 * inbox's poll interval while the link is healthy, and by the whole outage while it is not.
 * {@link RegionalRedis#rpo(String)} shows the age of the oldest write not yet shipped, and an
 * {@link RpoExceededEvent} is published while it is past {@code rpoBound}. Immutable.
 */
public final class ReplicationMode {

    /** Every write is sent to the region as it is made. */
    public static final ReplicationMode IMMEDIATE = new ReplicationMode(null, 0, null);

    /** Shortest allowed {@code maxDelay}: 10 ms. */
    public static final Duration MIN_MAX_DELAY = Duration.ofMillis(10);
    /** Longest allowed {@code maxDelay}: 1 h. */
    public static final Duration MAX_MAX_DELAY = Duration.ofHours(1);
    /** Smallest allowed {@code maxBytes}: 1 KiB. */
    public static final long MIN_MAX_BYTES = 1024;
    /** Largest allowed {@code maxBytes}: 64 MiB, so one batch stays far below Redis's 512 MB bulk limit. */
    public static final long MAX_MAX_BYTES = 64L << 20;

    private final Duration maxDelay;
    private final long maxBytes;
    private final Duration rpoBound;

    private ReplicationMode(Duration maxDelay, long maxBytes, Duration rpoBound) {
        this.maxDelay = maxDelay;
        this.maxBytes = maxBytes;
        this.rpoBound = rpoBound;
    }

    /**
     * Batched replication with the default RPO bound, {@code 2 x maxDelay + 1 s}.
     *
     * @param maxDelay how long a write may wait to be shipped, 10 ms to 1 h
     * @param maxBytes queued bytes (as the hint log counts them) that ship a batch at once, 1 KiB to 64 MiB;
     *     also the most one batch carries
     * @throws InvalidConfigurationException if a value is out of range
     */
    public static ReplicationMode batched(Duration maxDelay, long maxBytes) {
        checkDelay(maxDelay);
        return batched(maxDelay, maxBytes, maxDelay.multipliedBy(2).plusSeconds(1));
    }

    /**
     * Batched replication.
     *
     * @param maxDelay how long a write may wait to be shipped, 10 ms to 1 h
     * @param maxBytes queued bytes that ship a batch at once, 1 KiB to 64 MiB
     * @param rpoBound the age of the oldest unshipped write past which an {@link RpoExceededEvent} is
     *     published; at least {@code maxDelay}
     * @throws InvalidConfigurationException if a value is out of range
     */
    public static ReplicationMode batched(Duration maxDelay, long maxBytes, Duration rpoBound) {
        checkDelay(maxDelay);
        if (maxBytes < MIN_MAX_BYTES || maxBytes > MAX_MAX_BYTES) {
            throw new InvalidConfigurationException("redis.replication.maxBytes", maxBytes,
                    "redis.replication.maxBytes must be in [" + MIN_MAX_BYTES + ", " + MAX_MAX_BYTES + "], but was "
                            + maxBytes);
        }
        if (rpoBound == null || rpoBound.compareTo(maxDelay) < 0) {
            throw new InvalidConfigurationException("redis.replication.rpoBound", rpoBound,
                    "redis.replication.rpoBound must be >= maxDelay (" + maxDelay + "), but was " + rpoBound);
        }
        return new ReplicationMode(maxDelay, maxBytes, rpoBound);
    }

    private static void checkDelay(Duration maxDelay) {
        if (maxDelay == null || maxDelay.compareTo(MIN_MAX_DELAY) < 0 || maxDelay.compareTo(MAX_MAX_DELAY) > 0) {
            throw new InvalidConfigurationException("redis.replication.maxDelay", maxDelay,
                    "redis.replication.maxDelay must be in [" + MIN_MAX_DELAY + ", " + MAX_MAX_DELAY + "], but was "
                            + maxDelay);
        }
    }

    /** Returns whether writes are batched. */
    public boolean isBatched() {
        return maxDelay != null;
    }

    /**
     * Returns how long a write may wait to be shipped.
     *
     * @throws IllegalStateException for {@link #IMMEDIATE}
     */
    public Duration maxDelay() {
        requireBatched();
        return maxDelay;
    }

    /**
     * Returns the queued bytes that ship a batch at once, and the most one batch carries.
     *
     * @throws IllegalStateException for {@link #IMMEDIATE}
     */
    public long maxBytes() {
        requireBatched();
        return maxBytes;
    }

    /**
     * Returns the age of the oldest unshipped write past which an {@link RpoExceededEvent} is published.
     *
     * @throws IllegalStateException for {@link #IMMEDIATE}
     */
    public Duration rpoBound() {
        requireBatched();
        return rpoBound;
    }

    private void requireBatched() {
        if (!isBatched()) {
            throw new IllegalStateException("IMMEDIATE replication has no batch settings");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReplicationMode m && Objects.equals(maxDelay, m.maxDelay) && maxBytes == m.maxBytes
                && Objects.equals(rpoBound, m.rpoBound);
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxDelay, maxBytes, rpoBound);
    }

    @Override
    public String toString() {
        return isBatched() ? "BATCHED(maxDelay=" + maxDelay + ", maxBytes=" + maxBytes + ", rpoBound=" + rpoBound + ")"
                : "IMMEDIATE";
    }
}
