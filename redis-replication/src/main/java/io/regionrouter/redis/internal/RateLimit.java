package io.regionrouter.redis.internal;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Spaces out work to at most {@code perSecond} units per second, on the injected monotonic ticker.
 * Used by one thread at a time.
 */
final class RateLimit {

    private final long nanosPerUnit;
    private final LongSupplier ticker;
    private long nextFree;
    private boolean started;

    RateLimit(int perSecond, LongSupplier ticker) {
        this.nanosPerUnit = 1_000_000_000L / perSecond;
        this.ticker = ticker;
    }

    /** Waits until {@code units} more fit in the rate; returns false if interrupted. */
    boolean acquire(int units) {
        long now = ticker.getAsLong();
        if (!started || now - nextFree > 0) {
            nextFree = now;
            started = true;
        }
        long wait = nextFree - now;
        nextFree += units * nanosPerUnit;
        while (wait > 0) {
            LockSupport.parkNanos(wait);
            if (Thread.currentThread().isInterrupted()) {
                return false;
            }
            wait = nextFree - units * nanosPerUnit - ticker.getAsLong();
        }
        return true;
    }
}
