package io.regionrouter.jdbc.failover.internal;

import io.regionrouter.core.HealthProbe;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * A probe of a primary that counts its results, remembers its last success and can simulate an
 * outage for a drill. Thread-safe.
 */
public final class WatchedProbe implements HealthProbe {

    /** The failure a probe reports during a simulated outage. */
    public static final class SimulatedOutage extends Exception {
        private static final long serialVersionUID = 1L;

        SimulatedOutage(String message) {
            super(message, null, false, false);
        }
    }

    private final String name;
    private final HealthProbe delegate;
    private final LongSupplier ticker;
    private final LongAdder successes = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private volatile long lastSuccessNanos;
    private volatile boolean simulatedOutage;

    /**
     * Creates the probe.
     *
     * @param name the primary's name, for messages
     * @param delegate the real probe
     * @param ticker nano time
     */
    public WatchedProbe(String name, HealthProbe delegate, LongSupplier ticker) {
        this.name = Objects.requireNonNull(name, "name");
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.lastSuccessNanos = ticker.getAsLong();
    }

    @Override
    public void check(Duration timeout) throws Exception {
        if (simulatedOutage) {
            failures.increment();
            throw new SimulatedOutage("drill: simulated outage of " + name);
        }
        try {
            delegate.check(timeout);
        } catch (Exception e) {
            failures.increment();
            throw e;
        }
        successes.increment();
        lastSuccessNanos = ticker.getAsLong();
    }

    /** Turns the simulated outage on or off. */
    public void simulateOutage(boolean on) {
        simulatedOutage = on;
    }

    /** Whether an outage is being simulated. */
    public boolean simulatingOutage() {
        return simulatedOutage;
    }

    /** When the last probe succeeded (nano time); the creation time before any success. */
    public long lastSuccessNanos() {
        return lastSuccessNanos;
    }

    /** Probes that succeeded. */
    public long successes() {
        return successes.sum();
    }

    /** Probes that failed, timed-out ones included once they returned. */
    public long failures() {
        return failures.sum();
    }
}
