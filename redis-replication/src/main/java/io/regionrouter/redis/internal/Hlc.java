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
 * another writer, so the next local write orders after it. Thread-safe and lock-free.
 */
public final class Hlc {

    private final LongSupplier millis;
    private final AtomicLong last = new AtomicLong();

    /**
     * Creates a clock.
     *
     * @param millis the physical clock, milliseconds since the epoch
     */
    public Hlc(LongSupplier millis) {
        this.millis = Objects.requireNonNull(millis, "millis");
    }

    /** Returns a timestamp greater than every timestamp returned or observed before. */
    public long next() {
        long physical = Version.timestamp(millis.getAsLong(), 0);
        return last.updateAndGet(prev -> Long.compareUnsigned(physical, prev) > 0 ? physical : prev + 1);
    }

    /**
     * Makes later timestamps greater than {@code timestamp}.
     *
     * @param timestamp a timestamp seen from another writer
     */
    public void observe(long timestamp) {
        last.updateAndGet(prev -> Long.compareUnsigned(timestamp, prev) > 0 ? timestamp : prev);
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
