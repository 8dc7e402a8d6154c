package io.regionrouter.core;

import java.time.Duration;
import java.util.Objects;

import io.regionrouter.core.internal.DurationChecks;

/**
 * Settings of {@link RegionHealth}. Immutable and thread-safe.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@link #interval()}</td><td>500 ms</td><td>time between the starts of two probes of a
 *       region</td></tr>
 *   <tr><td>{@link #timeout()}</td><td>400 ms</td><td>a probe that has not returned by then counts
 *       as a failure; must not exceed the interval</td></tr>
 *   <tr><td>{@link #failureThreshold()}</td><td>4</td><td>consecutive failures that mark an UP
 *       region DOWN</td></tr>
 *   <tr><td>{@link #successThreshold()}</td><td>2</td><td>consecutive successes that mark a DOWN
 *       region UP</td></tr>
 *   <tr><td>{@link #callWindow()}</td><td>10 s</td><td>the time window over which real-call results
 *       are judged</td></tr>
 *   <tr><td>{@link #minimumCalls()}</td><td>20</td><td>real calls recorded in the window before the
 *       failure rate can mark a store DOWN</td></tr>
 *   <tr><td>{@link #failureRateThreshold()}</td><td>50</td><td>percentage of failed real calls in the
 *       window that marks a store DOWN</td></tr>
 * </table>
 *
 * <p>Probes and real calls are judged differently. Probes use hysteresis (consecutive results),
 * because they come at a steady pace. Real calls come in bursts: twenty concurrent calls that time
 * out together are one event, not twenty, so they are judged like a circuit breaker, by the failure
 * rate over a time window with a minimum number of calls (Resilience4j's time-based sliding window).
 * Only probes bring a DOWN store back UP.
 *
 * <p>Every probe slot (one per interval) yields at most one result, known at most one timeout
 * after the slot starts: success, failure, or timeout (a hung probe). With the defaults a region
 * that dies right after a successful probe is DOWN at the latest when the fourth following slot
 * times out: {@code failureThreshold * interval + timeout} = 4 &times; 500 ms + 400 ms = 2.4 s
 * (sooner if its probes fail fast, or if real calls report failures). A false DOWN needs four
 * probes lost in a row: with 10 % independent probe loss that is 0.1<sup>4</sup> = 10<sup>-4</sup>
 * per slot, about 0.65 false DOWN per hour per region at two probes a second, each healed by the
 * next two good probes (about 1 s). Choose a larger {@code failureThreshold} with a shorter
 * interval where a false DOWN is expensive (for example interval 250 ms, timeout 200 ms,
 * failureThreshold 8: detection within 2.2 s and about 10<sup>-4</sup> false DOWN per hour).
 */
public final class HealthConfig {

    /** Default time between probe starts: 500 ms. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(500);
    /** Default probe timeout: 400 ms. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(400);
    /** Default consecutive failures that mark a region DOWN: 4. */
    public static final int DEFAULT_FAILURE_THRESHOLD = 4;
    /** Default consecutive successes that mark a region UP again: 2. */
    public static final int DEFAULT_SUCCESS_THRESHOLD = 2;
    /** Default window over which real calls are judged: 10 s. */
    public static final Duration DEFAULT_CALL_WINDOW = Duration.ofSeconds(10);
    /** Default real calls in the window before the failure rate counts: 20. */
    public static final int DEFAULT_MINIMUM_CALLS = 20;
    /** Default failure rate of real calls, in percent, that marks a store DOWN: 50. */
    public static final int DEFAULT_FAILURE_RATE_THRESHOLD = 50;

    /** Largest threshold or minimum number of calls: {@value}. */
    public static final int MAX_COUNT = 1_000_000;

    private static final HealthConfig DEFAULTS = builder().build();

    private final Duration interval;
    private final Duration timeout;
    private final int failureThreshold;
    private final int successThreshold;
    private final Duration callWindow;
    private final int minimumCalls;
    private final int failureRateThreshold;

    private HealthConfig(Builder b) {
        this.interval = b.interval;
        this.timeout = b.timeout;
        this.failureThreshold = b.failureThreshold;
        this.successThreshold = b.successThreshold;
        this.callWindow = b.callWindow;
        this.minimumCalls = b.minimumCalls;
        this.failureRateThreshold = b.failureRateThreshold;
    }

    /** Returns the default configuration. */
    public static HealthConfig defaults() {
        return DEFAULTS;
    }

    /** Returns a builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder holding this configuration. */
    public Builder toBuilder() {
        return new Builder().interval(interval).timeout(timeout).failureThreshold(failureThreshold)
                .successThreshold(successThreshold).callWindow(callWindow).minimumCalls(minimumCalls)
                .failureRateThreshold(failureRateThreshold);
    }

    /** Returns the time between the starts of two probes of a region. */
    public Duration interval() {
        return interval;
    }

    /** Returns how long a probe may take before it counts as failed. */
    public Duration timeout() {
        return timeout;
    }

    /** Returns how many consecutive failures mark an UP region DOWN. */
    public int failureThreshold() {
        return failureThreshold;
    }

    /** Returns how many consecutive successes mark a DOWN region UP. */
    public int successThreshold() {
        return successThreshold;
    }

    /** Returns the time window over which real-call results are judged. */
    public Duration callWindow() {
        return callWindow;
    }

    /** Returns how many real calls the window needs before its failure rate can mark a store DOWN. */
    public int minimumCalls() {
        return minimumCalls;
    }

    /** Returns the failure rate of real calls, in percent, that marks a store DOWN. */
    public int failureRateThreshold() {
        return failureRateThreshold;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof HealthConfig)) {
            return false;
        }
        HealthConfig c = (HealthConfig) o;
        return interval.equals(c.interval) && timeout.equals(c.timeout) && failureThreshold == c.failureThreshold
                && successThreshold == c.successThreshold && callWindow.equals(c.callWindow)
                && minimumCalls == c.minimumCalls && failureRateThreshold == c.failureRateThreshold;
    }

    @Override
    public int hashCode() {
        return Objects.hash(interval, timeout, failureThreshold, successThreshold, callWindow, minimumCalls,
                failureRateThreshold);
    }

    @Override
    public String toString() {
        return "HealthConfig{interval=" + interval + ", timeout=" + timeout + ", failureThreshold="
                + failureThreshold + ", successThreshold=" + successThreshold + ", callWindow=" + callWindow
                + ", minimumCalls=" + minimumCalls + ", failureRateThreshold=" + failureRateThreshold + '}';
    }

    /** Builds a {@link HealthConfig}; starts from the defaults. Not thread-safe. */
    public static final class Builder {

        private Duration interval = DEFAULT_INTERVAL;
        private Duration timeout = DEFAULT_TIMEOUT;
        private int failureThreshold = DEFAULT_FAILURE_THRESHOLD;
        private int successThreshold = DEFAULT_SUCCESS_THRESHOLD;
        private Duration callWindow = DEFAULT_CALL_WINDOW;
        private int minimumCalls = DEFAULT_MINIMUM_CALLS;
        private int failureRateThreshold = DEFAULT_FAILURE_RATE_THRESHOLD;

        private Builder() {
        }

        /** Sets the time between probe starts; more than 0 and at most 1 h. */
        public Builder interval(Duration interval) {
            this.interval = atMostOneHour("healthConfig.interval", DurationChecks.positive("healthConfig.interval", interval));
            return this;
        }

        /** Sets the probe timeout; more than 0, at most 1 h, and not longer than the interval. */
        public Builder timeout(Duration timeout) {
            this.timeout = atMostOneHour("healthConfig.timeout", DurationChecks.positive("healthConfig.timeout", timeout));
            return this;
        }

        /** Sets the consecutive failures that mark a region DOWN; must be &gt;= 1. */
        public Builder failureThreshold(int failureThreshold) {
            this.failureThreshold = atLeastOne("healthConfig.failureThreshold", failureThreshold);
            return this;
        }

        /** Sets the consecutive successes that mark a region UP; must be &gt;= 1. */
        public Builder successThreshold(int successThreshold) {
            this.successThreshold = atLeastOne("healthConfig.successThreshold", successThreshold);
            return this;
        }

        /** Sets the window over which real calls are judged; between 1 s and 1 h. */
        public Builder callWindow(Duration callWindow) {
            DurationChecks.positive("healthConfig.callWindow", callWindow);
            if (callWindow.compareTo(Duration.ofSeconds(1)) < 0 || callWindow.compareTo(Duration.ofHours(1)) > 0) {
                throw new InvalidConfigurationException("healthConfig.callWindow", callWindow,
                        "healthConfig.callWindow must be between 1 s and 1 h, but was " + callWindow);
            }
            this.callWindow = callWindow;
            return this;
        }

        /** Sets the real calls the window needs before its failure rate counts; must be &gt;= 1. */
        public Builder minimumCalls(int minimumCalls) {
            this.minimumCalls = atLeastOne("healthConfig.minimumCalls", minimumCalls);
            return this;
        }

        /** Sets the failure rate, in percent, that marks a store DOWN; 1 to 100. */
        public Builder failureRateThreshold(int percent) {
            if (percent < 1 || percent > 100) {
                throw new InvalidConfigurationException("healthConfig.failureRateThreshold", percent,
                        "healthConfig.failureRateThreshold must be between 1 and 100, but was " + percent);
            }
            this.failureRateThreshold = percent;
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @throws InvalidConfigurationException if the timeout is longer than the interval
         */
        public HealthConfig build() {
            if (timeout.compareTo(interval) > 0) {
                throw new InvalidConfigurationException("healthConfig.timeout", timeout,
                        "healthConfig.timeout must not be longer than healthConfig.interval (" + interval
                                + "), but was " + timeout);
            }
            return new HealthConfig(this);
        }

        private static int atLeastOne(String field, int value) {
            if (value < 1) {
                throw new InvalidConfigurationException(field, value, field + " must be >= 1, but was " + value);
            }
            if (value > MAX_COUNT) {
                throw new InvalidConfigurationException(field, value, field + " must be <= " + MAX_COUNT + ", but was "
                        + value);
            }
            return value;
        }

        private static Duration atMostOneHour(String field, Duration value) {
            if (value.compareTo(Duration.ofHours(1)) > 0) {
                throw new InvalidConfigurationException(field, value, field + " must be <= PT1H, but was " + value);
            }
            return value;
        }
    }
}
