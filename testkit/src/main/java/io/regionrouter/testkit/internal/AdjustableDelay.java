package io.regionrouter.testkit.internal;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.netcrusher.core.throttle.Throttler;

/**
 * A NetCrusher {@link Throttler} whose constant delay can be changed at runtime.
 *
 * <p>NetCrusher's own {@code DelayThrottler} fixes its delay at construction, so the proxy is
 * built with this one instead. One instance serves both directions of every connection of a proxy;
 * the delay is read on each buffer, so a change applies to data queued after it. Thread-safe.
 */
public final class AdjustableDelay implements Throttler {

    private final AtomicLong delayNanos = new AtomicLong();

    /**
     * Sets the one-way delay.
     *
     * @param oneWay the delay added to each direction; {@link Duration#ZERO} removes it
     */
    public void set(Duration oneWay) {
        delayNanos.set(oneWay.toNanos());
    }

    /** Returns the current one-way delay. */
    public Duration get() {
        return Duration.ofNanos(delayNanos.get());
    }

    @Override
    public long calculateDelayNs(ByteBuffer bb) {
        long nanos = delayNanos.get();
        return nanos <= 0 ? NO_DELAY_NS : nanos;
    }
}
