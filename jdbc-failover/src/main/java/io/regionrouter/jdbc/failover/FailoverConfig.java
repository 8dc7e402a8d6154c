package io.regionrouter.jdbc.failover;

import io.regionrouter.core.HealthConfig;
import io.regionrouter.core.support.Bounds;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link FailoverManager}. Immutable.
 *
 * <h2>Why the defaults detect within 3 s and do not fail over at 10 % probe loss</h2>
 * The manager watches each primary with a {@link io.regionrouter.core.RegionHealth} of its own,
 * configured by {@link #health()}: a probe every {@code interval} = 250 ms, each failing when it has
 * not answered within {@code timeout} = 200 ms, and {@code failureThreshold} = 8 consecutive
 * failures mark the primary DOWN. Then {@link #confirmations()} = 2 more probes, made directly and
 * each bounded by {@link #confirmationTimeout()} = 200 ms, {@link #confirmationInterval()} = 50 ms
 * apart, must fail too; one answer cancels the failover.
 * <ul>
 *   <li><b>Detection.</b> A primary that dies right after a good probe is DOWN at the latest when the
 *       8th following probe times out: {@code 8 × 250 ms + 200 ms = 2.2 s}. The confirmation adds at
 *       most {@code 2 × 200 ms + 50 ms = 0.45 s} (far less when connections are refused at once), so
 *       the failover starts within {@link #worstCaseDetection()} = 2.65 s &lt; 3 s.</li>
 *   <li><b>No false failover at 10 % loss.</b> With each probe lost or late independently with
 *       p = 0.1, a false DOWN needs 8 losses in a row, p<sup>8</sup> = 10<sup>-8</sup> per probe,
 *       which at 4 probes/s (14,400 an hour) is about 1.4 × 10<sup>-4</sup> false DOWNs per hour,
 *       and a false failover also needs both confirmation probes lost: 10<sup>-2</sup> of those,
 *       about 1.4 × 10<sup>-6</sup> an hour (once in some 80 years per region). A false DOWN alone
 *       costs nothing: it does not change routing, the next two good probes clear it.</li>
 * </ul>
 * Core's routing health ({@link HealthConfig#defaults()}, 500 ms × 4) is tuned for fast fallback,
 * where a false DOWN is cheap; a failover is not undone by the next good probe, so it is watched
 * with more and faster probes.
 */
public final class FailoverConfig {

    /** Default detection settings: interval 250 ms, timeout 200 ms, failureThreshold 8, successThreshold 2. */
    public static final HealthConfig DEFAULT_HEALTH = HealthConfig.builder().interval(Duration.ofMillis(250))
            .timeout(Duration.ofMillis(200)).failureThreshold(8).successThreshold(2).build();
    /** Default direct probes that must also fail before a failover: 2. */
    public static final int DEFAULT_CONFIRMATIONS = 2;
    /** Default timeout of a confirmation probe: 200 ms. */
    public static final Duration DEFAULT_CONFIRMATION_TIMEOUT = Duration.ofMillis(200);
    /** Default pause between confirmation probes: 50 ms. */
    public static final Duration DEFAULT_CONFIRMATION_INTERVAL = Duration.ofMillis(50);
    /** Default time {@code pg_promote} may take: 30 s. */
    public static final Duration DEFAULT_PROMOTE_TIMEOUT = Duration.ofSeconds(30);
    /** Default time a switchover waits for the standby to replay the fenced primary's last WAL: 5 s. */
    public static final Duration DEFAULT_CATCH_UP_TIMEOUT = Duration.ofSeconds(5);
    /** Default period of the check for a returning old primary, and of the primary's WAL sampling: 1 s. */
    public static final Duration DEFAULT_SAMPLE_INTERVAL = Duration.ofSeconds(1);
    /** Default time connections of the old pool may stay in use after soft eviction before the pool is closed: 5 s. */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(5);
    /** By default a detected failure fails over on its own: true. */
    public static final boolean DEFAULT_AUTOMATIC = true;
    /** Default {@link #followInterval()}: 200 ms, so that a promotion is followed within about 1 s. */
    public static final Duration DEFAULT_FOLLOW_INTERVAL = Duration.ofMillis(200);
    /** Default {@link #followTimeout()}: 500 ms. */
    public static final Duration DEFAULT_FOLLOW_TIMEOUT = Duration.ofMillis(500);

    private static final FailoverConfig DEFAULTS = builder().build();

    private final HealthConfig health;
    private final int confirmations;
    private final Duration confirmationTimeout;
    private final Duration confirmationInterval;
    private final Duration promoteTimeout;
    private final Duration catchUpTimeout;
    private final Duration sampleInterval;
    private final Duration drainTimeout;
    private final boolean automatic;
    private final Duration followInterval;
    private final Duration followTimeout;

    private FailoverConfig(Builder b) {
        this.health = b.health;
        this.confirmations = b.confirmations;
        this.confirmationTimeout = b.confirmationTimeout;
        this.confirmationInterval = b.confirmationInterval;
        this.promoteTimeout = b.promoteTimeout;
        this.catchUpTimeout = b.catchUpTimeout;
        this.sampleInterval = b.sampleInterval;
        this.drainTimeout = b.drainTimeout;
        this.automatic = b.automatic;
        this.followInterval = b.followInterval;
        this.followTimeout = b.followTimeout;
    }

    /** The defaults. */
    public static FailoverConfig defaults() {
        return DEFAULTS;
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration. */
    public Builder toBuilder() {
        return new Builder().health(health).confirmations(confirmations).confirmationTimeout(confirmationTimeout)
                .confirmationInterval(confirmationInterval).promoteTimeout(promoteTimeout).catchUpTimeout(catchUpTimeout)
                .sampleInterval(sampleInterval).drainTimeout(drainTimeout).automatic(automatic)
                .followInterval(followInterval).followTimeout(followTimeout);
    }

    /** How often every server of a group is asked whether it is the writable primary, and of which timeline and epoch. */
    public Duration followInterval() {
        return followInterval;
    }

    /** How long one server may take to answer that question before it counts as not answering. */
    public Duration followTimeout() {
        return followTimeout;
    }

    /** How the primaries are watched. */
    public HealthConfig health() {
        return health;
    }

    /** Direct probes of the primary that must fail after it was found DOWN, before it is failed over. */
    public int confirmations() {
        return confirmations;
    }

    /** Timeout of one confirmation probe. */
    public Duration confirmationTimeout() {
        return confirmationTimeout;
    }

    /** Pause between confirmation probes. */
    public Duration confirmationInterval() {
        return confirmationInterval;
    }

    /** How long {@code pg_promote} may take. */
    public Duration promoteTimeout() {
        return promoteTimeout;
    }

    /** How long a switchover waits for the standby to catch up with the fenced primary. */
    public Duration catchUpTimeout() {
        return catchUpTimeout;
    }

    /** Period of WAL sampling and of the check for returning old primaries. */
    public Duration sampleInterval() {
        return sampleInterval;
    }

    /** How long the old pool's busy connections may finish their work before the pool is closed. */
    public Duration drainTimeout() {
        return drainTimeout;
    }

    /** Whether a detected failure fails over without an operator. */
    public boolean automatic() {
        return automatic;
    }

    /**
     * The latest a dead primary's failover starts:
     * {@code failureThreshold × interval + timeout + confirmations × confirmationTimeout
     * + (confirmations - 1) × confirmationInterval}.
     *
     * @return the bound; 2.65 s with the defaults
     */
    public Duration worstCaseDetection() {
        Duration monitor = health.interval().multipliedBy(health.failureThreshold()).plus(health.timeout());
        Duration confirm = confirmationTimeout.multipliedBy(confirmations)
                .plus(confirmationInterval.multipliedBy(Math.max(0, confirmations - 1)));
        return monitor.plus(confirm);
    }

    @Override
    public String toString() {
        return "FailoverConfig{health=" + health + ", confirmations=" + confirmations + ", confirmationTimeout="
                + confirmationTimeout + ", confirmationInterval=" + confirmationInterval + ", promoteTimeout=" + promoteTimeout
                + ", catchUpTimeout=" + catchUpTimeout + ", sampleInterval=" + sampleInterval + ", drainTimeout=" + drainTimeout
                + ", automatic=" + automatic + ", followInterval=" + followInterval + ", followTimeout=" + followTimeout + "}";
    }

    /** Builder of {@link FailoverConfig}; starts from the defaults. Not thread-safe. */
    public static final class Builder {
        private HealthConfig health = DEFAULT_HEALTH;
        private int confirmations = DEFAULT_CONFIRMATIONS;
        private Duration confirmationTimeout = DEFAULT_CONFIRMATION_TIMEOUT;
        private Duration confirmationInterval = DEFAULT_CONFIRMATION_INTERVAL;
        private Duration promoteTimeout = DEFAULT_PROMOTE_TIMEOUT;
        private Duration catchUpTimeout = DEFAULT_CATCH_UP_TIMEOUT;
        private Duration sampleInterval = DEFAULT_SAMPLE_INTERVAL;
        private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;
        private boolean automatic = DEFAULT_AUTOMATIC;
        private Duration followInterval = DEFAULT_FOLLOW_INTERVAL;
        private Duration followTimeout = DEFAULT_FOLLOW_TIMEOUT;

        private Builder() {
        }

        /** Sets how primaries are watched. Default {@link #DEFAULT_HEALTH}. */
        public Builder health(HealthConfig health) {
            this.health = Objects.requireNonNull(health, "failoverConfig.health must not be null");
            return this;
        }

        /** Sets the confirmation probes; 0 turns confirmation off. Default {@value #DEFAULT_CONFIRMATIONS}. */
        public Builder confirmations(int confirmations) {
            Bounds.count("failoverConfig.confirmations", confirmations, 0, 20);
            this.confirmations = confirmations;
            return this;
        }

        /** Sets the timeout of a confirmation probe. Default 200 ms. */
        public Builder confirmationTimeout(Duration timeout) {
            this.confirmationTimeout = Bounds.duration("failoverConfig.confirmationTimeout", timeout, Duration.ofMillis(1), Duration.ofMinutes(1));
            return this;
        }

        /** Sets the pause between confirmation probes; may be zero. Default 50 ms. */
        public Builder confirmationInterval(Duration interval) {
            Bounds.duration("failoverConfig.confirmationInterval", interval, Duration.ZERO, Duration.ofMinutes(1));
            this.confirmationInterval = interval;
            return this;
        }

        /** Sets how long {@code pg_promote} may take; whole seconds, at least 1 s. Default 30 s. */
        public Builder promoteTimeout(Duration timeout) {
            Bounds.duration("failoverConfig.promoteTimeout", timeout, Duration.ofSeconds(1), Duration.ofMinutes(10));
            this.promoteTimeout = timeout;
            return this;
        }

        /** Sets how long a switchover waits for the standby to catch up. Default 5 s. */
        public Builder catchUpTimeout(Duration timeout) {
            this.catchUpTimeout = Bounds.duration("failoverConfig.catchUpTimeout", timeout, Duration.ofMillis(1), Duration.ofMinutes(10));
            return this;
        }

        /** Sets the period of WAL sampling and of the check for returning old primaries. Default 1 s. */
        public Builder sampleInterval(Duration interval) {
            this.sampleInterval = Bounds.duration("failoverConfig.sampleInterval", interval, Duration.ofMillis(1), Duration.ofMinutes(1));
            return this;
        }

        /** Sets how long the old pool may drain before it is closed. Default 5 s. */
        public Builder drainTimeout(Duration timeout) {
            this.drainTimeout = Bounds.duration("failoverConfig.drainTimeout", timeout, Duration.ofMillis(1), Duration.ofMinutes(10));
            return this;
        }

        /** Sets whether detected failures fail over on their own. Default true. */
        public Builder automatic(boolean automatic) {
            this.automatic = automatic;
            return this;
        }

        /** Sets how often the servers of each group are asked which one is the primary. Default 200 ms. */
        public Builder followInterval(Duration interval) {
            this.followInterval = Bounds.duration("failoverConfig.followInterval", interval, Duration.ofMillis(10), Duration.ofSeconds(10));
            return this;
        }

        /** Sets how long one server may take to answer the follow question. Default 500 ms. */
        public Builder followTimeout(Duration timeout) {
            this.followTimeout = Bounds.duration("failoverConfig.followTimeout", timeout, Duration.ofMillis(10), Duration.ofSeconds(30));
            return this;
        }

        /** Builds the configuration. */
        public FailoverConfig build() {
            return new FailoverConfig(this);
        }
    }
}
