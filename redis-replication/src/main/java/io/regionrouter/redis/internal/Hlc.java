package io.regionrouter.redis.internal;

import io.regionrouter.redis.Version;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A hybrid logical clock. {@link #next()} returns strictly increasing timestamps: the physical
 * milliseconds of the injected clock in the upper 48 bits and a logical counter in the lower 16.
 * When the wall clock stands still or goes backwards the counter grows; when it overflows, it
 * carries into the physical part. {@link #observe(long)} moves the clock past a timestamp seen from
 * another writer, so the next local write orders after it, unless that timestamp is further ahead of
 * the physical clock than the maximum clock offset: one writer with a clock far in the future would
 * otherwise drag every other writer's clock forward for good. The clock never wraps: it refuses to
 * go past the largest timestamp. Thread-safe and lock-free.
 */
public final class Hlc {

    private final LongSupplier millis;
    private final long maxOffsetMillis;
    private final AtomicLong last = new AtomicLong();

    /**
     * Creates a clock that observes any timestamp.
     *
     * @param millis the physical clock, milliseconds since the epoch
     */
    public Hlc(LongSupplier millis) {
        this(millis, Long.MAX_VALUE / 2);
    }

    /**
     * Creates a clock.
     *
     * @param millis the physical clock, milliseconds since the epoch
     * @param maxOffsetMillis how far ahead of {@code millis} an observed timestamp may be
     */
    public Hlc(LongSupplier millis, long maxOffsetMillis) {
        this.millis = Objects.requireNonNull(millis, "millis");
        this.maxOffsetMillis = maxOffsetMillis;
    }

    /**
     * Returns a timestamp greater than every timestamp returned or observed before.
     *
     * @throws IllegalStateException if the largest timestamp was reached (it never wraps to zero)
     */
    public long next() {
        long physical = Version.timestamp(millis.getAsLong(), 0);
        return last.updateAndGet(prev -> {
            if (Long.compareUnsigned(physical, prev) > 0) {
                return physical;
            }
            if (prev == -1L) {
                throw new IllegalStateException("the hybrid logical clock reached its largest timestamp");
            }
            return prev + 1;
        });
    }

    /**
     * Makes later timestamps greater than {@code timestamp}, if it is within the maximum clock offset.
     *
     * @param timestamp a timestamp seen from another writer
     * @return false if the timestamp is further ahead of the physical clock than the maximum offset,
     *     and was not observed
     */
    public boolean observe(long timestamp) {
        if (!withinOffset(timestamp)) {
            return false;
        }
        last.updateAndGet(prev -> Long.compareUnsigned(timestamp, prev) > 0 ? timestamp : prev);
        return true;
    }

    /** Returns whether a timestamp is at most the maximum clock offset ahead of the physical clock. */
    public boolean withinOffset(long timestamp) {
        long physical = timestamp >>> Version.LOGICAL_BITS;
        return physical - millis.getAsLong() <= maxOffsetMillis;
    }

    /** Returns the physical milliseconds of the injected clock. */
    public long physicalMillis() {
        return millis.getAsLong();
    }

    /** Returns the last timestamp handed out or observed. */
    public long last() {
        return last.get();
    }
}
