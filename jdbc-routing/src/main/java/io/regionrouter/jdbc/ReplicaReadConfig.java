package io.regionrouter.jdbc;

import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.support.Bounds;
import java.time.Duration;
import java.util.Objects;

/**
 * How read-only work uses a region's read replicas (streaming standbys).
 *
 * <ul>
 *   <li>A connection is read-only when the application calls {@code setReadOnly(true)} before its
 *       first statement (Spring's {@code @Transactional(readOnly = true)} does) or when its
 *       {@link io.regionrouter.core.RegionContext} has {@link io.regionrouter.core.Access#READ}.</li>
 *   <li>It goes to a replica of the region the context routes to while the replica's measured lag
 *       is at most {@link #maxLag()} and the measurement is younger than {@link #staleAfter()};
 *       otherwise to the region's primary.</li>
 *   <li>With {@link #readYourWrites()}, the WAL position after each user's writes is remembered, and
 *       that user's reads use a replica only once it has replayed past it.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class ReplicaReadConfig {

    /** Default largest lag at which a replica is still read: 5 s. */
    public static final Duration DEFAULT_MAX_LAG = Duration.ofSeconds(5);
    /** Default interval at which each replica's lag is measured: 500 ms. */
    public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofMillis(500);
    /** Default statement timeout of a measurement: 1 s. */
    public static final Duration DEFAULT_PROBE_TIMEOUT = Duration.ofSeconds(1);
    /** Default age after which a measurement no longer counts: 2 s. */
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofSeconds(2);
    /** Default for read-your-writes: off. */
    public static final boolean DEFAULT_READ_YOUR_WRITES = false;
    /** Default number of users whose last write position is remembered: 100 000. */
    public static final long DEFAULT_READ_YOUR_WRITES_CAPACITY = 100_000;
    /** Default time a user's last write position is remembered: 10 min. */
    public static final Duration DEFAULT_READ_YOUR_WRITES_EXPIRY = Duration.ofMinutes(10);

    private static final ReplicaReadConfig DEFAULTS = builder().build();

    private final Duration maxLag;
    private final Duration probeInterval;
    private final Duration probeTimeout;
    private final Duration staleAfter;
    private final boolean readYourWrites;
    private final long readYourWritesCapacity;
    private final Duration readYourWritesExpiry;

    private ReplicaReadConfig(Builder b) {
        this.maxLag = b.maxLag;
        this.probeInterval = b.probeInterval;
        this.probeTimeout = b.probeTimeout;
        this.staleAfter = b.staleAfter;
        this.readYourWrites = b.readYourWrites;
        this.readYourWritesCapacity = b.readYourWritesCapacity;
        this.readYourWritesExpiry = b.readYourWritesExpiry;
    }

    /** The defaults. */
    public static ReplicaReadConfig defaults() {
        return DEFAULTS;
    }

    /** Returns a builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder initialised with this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxLag = maxLag;
        b.probeInterval = probeInterval;
        b.probeTimeout = probeTimeout;
        b.staleAfter = staleAfter;
        b.readYourWrites = readYourWrites;
        b.readYourWritesCapacity = readYourWritesCapacity;
        b.readYourWritesExpiry = readYourWritesExpiry;
        return b;
    }

    /** The largest lag at which a replica is still read. */
    public Duration maxLag() {
        return maxLag;
    }

    /** How often each replica's lag is measured. */
    public Duration probeInterval() {
        return probeInterval;
    }

    /** The statement timeout of a measurement. */
    public Duration probeTimeout() {
        return probeTimeout;
    }

    /** The age after which a measurement no longer counts, so a replica that stops answering is not read. */
    public Duration staleAfter() {
        return staleAfter;
    }

    /** Whether reads wait for a replica to replay the user's own writes (else they use the primary). */
    public boolean readYourWrites() {
        return readYourWrites;
    }

    /** How many users' last write positions are remembered. */
    public long readYourWritesCapacity() {
        return readYourWritesCapacity;
    }

    /** How long a user's last write position is remembered. */
    public Duration readYourWritesExpiry() {
        return readYourWritesExpiry;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReplicaReadConfig c && maxLag.equals(c.maxLag) && probeInterval.equals(c.probeInterval)
                && probeTimeout.equals(c.probeTimeout) && staleAfter.equals(c.staleAfter) && readYourWrites == c.readYourWrites
                && readYourWritesCapacity == c.readYourWritesCapacity && readYourWritesExpiry.equals(c.readYourWritesExpiry);
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxLag, probeInterval, probeTimeout, staleAfter, readYourWrites, readYourWritesCapacity,
                readYourWritesExpiry);
    }

    @Override
    public String toString() {
        return "ReplicaReadConfig[maxLag=" + maxLag + ", probeInterval=" + probeInterval + ", probeTimeout=" + probeTimeout
                + ", staleAfter=" + staleAfter + ", readYourWrites=" + readYourWrites + ", readYourWritesCapacity="
                + readYourWritesCapacity + ", readYourWritesExpiry=" + readYourWritesExpiry + "]";
    }

    /** Builder of {@link ReplicaReadConfig}. */
    public static final class Builder {
        private Duration maxLag = DEFAULT_MAX_LAG;
        private Duration probeInterval = DEFAULT_PROBE_INTERVAL;
        private Duration probeTimeout = DEFAULT_PROBE_TIMEOUT;
        private Duration staleAfter = DEFAULT_STALE_AFTER;
        private boolean readYourWrites = DEFAULT_READ_YOUR_WRITES;
        private long readYourWritesCapacity = DEFAULT_READ_YOUR_WRITES_CAPACITY;
        private Duration readYourWritesExpiry = DEFAULT_READ_YOUR_WRITES_EXPIRY;

        private Builder() {
        }

        /**
         * Sets the largest lag at which a replica is still read. Default 5 s.
         *
         * @param maxLag zero or more; zero reads a replica only when it has replayed all it received
         * @return this builder
         */
        public Builder maxLag(Duration maxLag) {
            this.maxLag = Bounds.duration("replicaReads.maxLag", maxLag, Duration.ZERO, Duration.ofHours(1));
            return this;
        }

        /**
         * Sets how often each replica's lag is measured. Default 500 ms.
         *
         * @param interval at least 50 ms
         * @return this builder
         */
        public Builder probeInterval(Duration interval) {
            this.probeInterval = Bounds.duration("replicaReads.probeInterval", interval, Duration.ofMillis(50), Duration.ofHours(1));
            return this;
        }

        /**
         * Sets the statement timeout of a measurement, rounded up to whole seconds. Default 1 s.
         *
         * @param timeout at least 1 s
         * @return this builder
         */
        public Builder probeTimeout(Duration timeout) {
            this.probeTimeout = Bounds.duration("replicaReads.probeTimeout", timeout, Duration.ofSeconds(1), Duration.ofMinutes(10));
            return this;
        }

        /**
         * Sets the age after which a measurement no longer counts. Default 2 s.
         *
         * @param staleAfter greater than the probe interval (checked by {@link #build()})
         * @return this builder
         */
        public Builder staleAfter(Duration staleAfter) {
            this.staleAfter = Bounds.duration("replicaReads.staleAfter", staleAfter, Duration.ofMillis(1), Duration.ofHours(24));
            return this;
        }

        /**
         * Turns read-your-writes on or off. Default off.
         *
         * @param enabled whether a user's reads wait for the replica to replay the user's writes
         * @return this builder
         */
        public Builder readYourWrites(boolean enabled) {
            this.readYourWrites = enabled;
            return this;
        }

        /**
         * Sets how many users' last write positions are remembered. Default 100 000.
         *
         * @param capacity at least 1
         * @return this builder
         */
        public Builder readYourWritesCapacity(long capacity) {
            Bounds.count("replicaReads.readYourWritesCapacity", capacity, 1, 10_000_000);
            this.readYourWritesCapacity = capacity;
            return this;
        }

        /**
         * Sets how long a user's last write position is remembered. Default 10 min; set it well above
         * the longest lag you tolerate.
         *
         * @param expiry at least 1 s
         * @return this builder
         */
        public Builder readYourWritesExpiry(Duration expiry) {
            this.readYourWritesExpiry = Bounds.duration("replicaReads.readYourWritesExpiry", expiry, Duration.ofSeconds(1), Duration.ofDays(7));
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @return the configuration
         * @throws InvalidConfigurationException if {@code staleAfter} is not above {@code probeInterval}
         */
        public ReplicaReadConfig build() {
            if (staleAfter.compareTo(probeInterval) <= 0) {
                throw new InvalidConfigurationException("replicaReads.staleAfter", staleAfter,
                        "replicaReads.staleAfter must be > replicaReads.probeInterval (" + probeInterval.toMillis() + " ms), but was "
                                + staleAfter.toMillis() + " ms");
            }
            return new ReplicaReadConfig(this);
        }
    }
}
