package io.regionrouter.core.internal;

import java.util.concurrent.atomic.LongAdder;

/**
 * The failure rate of real calls over a time window, as a ring of buckets (Resilience4j's
 * time-based sliding window). Recording a success touches one counter and reads no clock, so it
 * costs a few nanoseconds on the hot path; time only moves in {@link #advance(long)}, which the
 * owner calls from its periodic tick and before judging a failure.
 *
 * <p>Thread-safe: counters are lock-free; {@link #advance}, {@link #reset} and {@link #tripped}
 * are called by the owning monitor under its lock. A result recorded into a bucket just as it
 * rotates out is lost, which can only delay a verdict by one bucket.
 */
public final class CallWindow {

    /** Buckets per window: the window moves in steps of a tenth of its length. */
    static final int BUCKETS = 10;

    private final int minimumCalls;
    private final int failureRatePercent;
    private final long bucketNanos;
    private final Bucket[] ring = new Bucket[BUCKETS];
    private volatile Bucket current;
    private int index;
    private long currentStart;

    /**
     * Creates an empty window.
     *
     * @param windowNanos the window's length
     * @param minimumCalls calls needed before the rate counts
     * @param failureRatePercent failure rate that trips, 1..100
     * @param nowNanos the ticker now
     */
    public CallWindow(long windowNanos, int minimumCalls, int failureRatePercent, long nowNanos) {
        this.minimumCalls = minimumCalls;
        this.failureRatePercent = failureRatePercent;
        this.bucketNanos = Math.max(1, windowNanos / BUCKETS);
        for (int i = 0; i < BUCKETS; i++) {
            ring[i] = new Bucket();
        }
        this.current = ring[0];
        this.currentStart = nowNanos;
    }

    /** Counts a call that reached the server. */
    public void recordSuccess() {
        current.calls.increment();
    }

    /** Counts a call that could not reach the server. */
    public void recordFailure() {
        Bucket b = current;
        b.calls.increment();
        b.failures.increment();
    }

    /** Moves the window to {@code nowNanos}, dropping buckets that fell out of it. */
    public void advance(long nowNanos) {
        long behind = nowNanos - currentStart;
        if (behind < bucketNanos) {
            return;
        }
        long steps = behind / bucketNanos;
        if (steps >= BUCKETS) {
            reset(nowNanos);
            return;
        }
        for (long i = 0; i < steps; i++) {
            index = (index + 1) % BUCKETS;
            ring[index] = new Bucket();
        }
        currentStart += steps * bucketNanos;
        current = ring[index];
    }

    /** Forgets every result, for a fresh start after a state change. */
    public void reset(long nowNanos) {
        for (int i = 0; i < BUCKETS; i++) {
            ring[i] = new Bucket();
        }
        index = 0;
        currentStart = nowNanos;
        current = ring[0];
    }

    /** Returns whether the window holds enough calls and enough of them failed. */
    public boolean tripped() {
        long[] t = totals();
        return t[0] >= minimumCalls && t[1] * 100 >= (long) failureRatePercent * t[0];
    }

    /** Returns "failures of calls" over the window, for messages. */
    public String summary() {
        long[] t = totals();
        return t[1] + " of " + t[0];
    }

    /** Calls and failures over the whole window. */
    private long[] totals() {
        long calls = 0;
        long failures = 0;
        for (Bucket b : ring) {
            calls += b.calls.sum();
            failures += b.failures.sum();
        }
        return new long[] {calls, failures};
    }

    private static final class Bucket {
        final LongAdder calls = new LongAdder();
        final LongAdder failures = new LongAdder();
    }
}
