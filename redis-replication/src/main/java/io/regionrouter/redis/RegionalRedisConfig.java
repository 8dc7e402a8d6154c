package io.regionrouter.redis;

import io.regionrouter.core.DataClass;
import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Store;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Immutable settings of a {@link RegionalRedis}. Every setter validates its argument, and every
 * duration, size and count has a range (its setter's Javadoc and the {@code MIN_}/{@code MAX_}
 * constants give it); {@link Builder#build()} checks the settings against each other. A bad value
 * fails with an {@link InvalidConfigurationException} that names the property, the rule and the value.
 *
 * <p>The defaults never let a dead region block a caller for long: a one-second command timeout,
 * a one-second connect timeout, TCP keepalive, commands rejected while disconnected, a bounded
 * request queue, reconnect attempts at most 500 ms apart, and an end-to-end bound on every
 * synchronous call ({@link #operationTimeout()}, 1.5 s). They fail closed: a key is GLOBAL only if a
 * {@link Builder#global(String) global} prefix declares it, a {@code redis://} endpoint is refused
 * unless {@link Builder#allowPlaintext(boolean) allowPlaintext} is set, and an outage cannot fill the
 * local Redis with hints past {@link #hintLogMaxBytes()}.
 */
public final class RegionalRedisConfig {

    /** Default per-command timeout: 1 s. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(1);
    /**
     * Default margin of the operation timeout over the command timeout: 500 ms, so that a write whose
     * command timed out can still be kept in the hint log before the caller is answered.
     */
    public static final Duration DEFAULT_OPERATION_TIMEOUT_MARGIN = Duration.ofMillis(500);
    /** Default upper bound of the pause between two reconnect attempts of a region's connection: 500 ms. */
    public static final Duration DEFAULT_MAX_RECONNECT_DELAY = Duration.ofMillis(500);
    /** Largest allowed {@link #maxReconnectDelay()}: 1 min. */
    public static final Duration MAX_RECONNECT_DELAY_LIMIT = Duration.ofMinutes(1);
    /**
     * Shortest allowed timeout or delay: 1 ms. Netty takes connect timeouts in whole milliseconds, and a
     * shorter one would become 0, which it reads as "no timeout".
     */
    public static final Duration MIN_DURATION = Duration.ofMillis(1);
    /** Longest allowed {@link #commandTimeout()}, {@link #connectTimeout()} and {@link #hedgeDelay()}: 1 min. */
    public static final Duration MAX_COMMAND_TIMEOUT = Duration.ofMinutes(1);
    /** Longest allowed {@link #operationTimeout()}: 5 min. */
    public static final Duration MAX_OPERATION_TIMEOUT = Duration.ofMinutes(5);
    /** Allowed range of {@link #keepAliveIdle()}: 1 s to 2 h (the kernel takes whole seconds). */
    public static final Duration MIN_KEEPALIVE_IDLE = Duration.ofSeconds(1);
    /** Longest allowed {@link #keepAliveIdle()}: 2 h, the Linux default. */
    public static final Duration MAX_KEEPALIVE_IDLE = Duration.ofHours(2);
    /** Largest allowed {@link #requestQueueSize()}: 1,000,000 commands. */
    public static final int MAX_REQUEST_QUEUE_SIZE = 1_000_000;
    /** Shortest allowed {@link #tombstoneTtl()}: 1 s. */
    public static final Duration MIN_TOMBSTONE_TTL = Duration.ofSeconds(1);
    /** Longest allowed {@link #tombstoneTtl()}: 90 days. */
    public static final Duration MAX_TOMBSTONE_TTL = Duration.ofDays(90);
    /** Largest allowed {@link #hintLogMaxLength()}: 100,000,000 hints. */
    public static final long MAX_HINT_LOG_MAX_LENGTH = 100_000_000L;
    /** Default bound of the bytes of one target region's hint log: 256 MiB. */
    public static final long DEFAULT_HINT_LOG_MAX_BYTES = 256L << 20;
    /** Smallest allowed {@link #hintLogMaxBytes()}: 1 KiB. */
    public static final long MIN_HINT_LOG_MAX_BYTES = 1L << 10;
    /** Largest allowed {@link #hintLogMaxBytes()}: 64 GiB. */
    public static final long MAX_HINT_LOG_MAX_BYTES = 64L << 30;
    /** Largest allowed {@link #replayBatchSize()}: 10,000. */
    public static final int MAX_REPLAY_BATCH_SIZE = 10_000;
    /** Shortest allowed {@link #replayInterval()}: 10 ms. */
    public static final Duration MIN_REPLAY_INTERVAL = Duration.ofMillis(10);
    /** Longest allowed {@link #replayInterval()} and {@link #replayClaimIdle()}: 1 h. */
    public static final Duration MAX_REPLAY_INTERVAL = Duration.ofHours(1);
    /** Largest allowed {@link #compressionThreshold()}: 512 MiB, Redis's largest value. */
    public static final int MAX_COMPRESSION_THRESHOLD = 512 << 20;
    /** Most namespaces that can be declared: 1,000 (each key is matched against all of them). */
    public static final int MAX_NAMESPACES = 1_000;
    /** Longest namespace prefix: 256 characters. */
    public static final int MAX_NAMESPACE_PREFIX_LENGTH = 256;
    /** Default TCP connect timeout: 1 s. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(1);
    /** Default idle time before TCP keepalive probes start: 5 s. */
    public static final Duration DEFAULT_KEEPALIVE_IDLE = Duration.ofSeconds(5);
    /** Default bound of commands queued on one region's connection: 10,000. */
    public static final int DEFAULT_REQUEST_QUEUE_SIZE = 10_000;
    /** Default acknowledgement policy: {@link AckPolicy#LOCAL}. */
    public static final AckPolicy DEFAULT_ACK = AckPolicy.LOCAL;
    /** Default time a delete's tombstone (or an expired write) is remembered: 24 h. */
    public static final Duration DEFAULT_TOMBSTONE_TTL = Duration.ofHours(24);
    /** Default of {@link #maxClockOffset()}: 1 s. */
    public static final Duration DEFAULT_MAX_CLOCK_OFFSET = Duration.ofSeconds(1);
    /** Default of {@link #repairRate()}: 10,000 keys per second. */
    public static final int DEFAULT_REPAIR_RATE = 10_000;
    /** Default of {@link #repairBatchSize()}: 500 keys per SCAN. */
    public static final int DEFAULT_REPAIR_BATCH_SIZE = 500;
    /** Default maximum number of hints kept per target region: 1,000,000. */
    public static final long DEFAULT_HINT_LOG_MAX_LENGTH = 1_000_000;
    /** Default number of hints replayed per batch: 512. */
    public static final int DEFAULT_REPLAY_BATCH_SIZE = 512;
    /** Default pause between replay rounds: 200 ms. */
    public static final Duration DEFAULT_REPLAY_INTERVAL = Duration.ofMillis(200);
    /** Default idle time after which another instance's unacknowledged hints are taken over: 30 s. */
    public static final Duration DEFAULT_REPLAY_CLAIM_IDLE = Duration.ofSeconds(30);
    /** Default prefix of the module's own keys (hint streams, counters): {@code rr:}. */
    public static final String DEFAULT_KEY_PREFIX = "rr:";
    /** Default value size from which values are compressed when compression is on: 512 bytes. */
    public static final int DEFAULT_COMPRESSION_THRESHOLD = 512;
    /** Default price of cross-region transfer used for the cost estimate: 0.02 per GB. */
    public static final double DEFAULT_TRANSFER_PRICE_PER_GB = 0.02;
    /** Default of {@link #allowPlaintext()}: false, every endpoint must be {@code rediss://}. */
    public static final boolean DEFAULT_ALLOW_PLAINTEXT = false;

    private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final Duration commandTimeout;
    private final Duration operationTimeout;
    private final Duration explicitOperationTimeout;
    private final Duration maxReconnectDelay;
    private final Store store;
    private final Duration connectTimeout;
    private final Duration keepAliveIdle;
    private final int requestQueueSize;
    private final AckPolicy defaultAck;
    private final Duration tombstoneTtl;
    private final long hintLogMaxLength;
    private final int replayBatchSize;
    private final Duration replayInterval;
    private final Duration replayClaimIdle;
    private final Duration maxHintAge;
    private final Duration explicitMaxHintAge;
    private final int repairRate;
    private final Duration maxClockOffset;
    private final int repairBatchSize;
    private final Duration hedgeDelay;
    private final String keyPrefix;
    private final boolean compression;
    private final int compressionThreshold;
    private final double transferPricePerGb;
    private final String instanceId;
    private final boolean registerHealthProbes;
    private final Map<String, DataClass> namespaces;
    private final long hintLogMaxBytes;
    private final boolean allowPlaintext;
    private final Map<String, ReplicationMode> replication;

    private RegionalRedisConfig(Builder b) {
        this.commandTimeout = b.commandTimeout;
        this.explicitOperationTimeout = b.operationTimeout;
        this.operationTimeout = b.operationTimeout != null ? b.operationTimeout
                : b.commandTimeout.plus(DEFAULT_OPERATION_TIMEOUT_MARGIN);
        this.maxReconnectDelay = b.maxReconnectDelay;
        this.store = b.store;
        this.connectTimeout = b.connectTimeout;
        this.keepAliveIdle = b.keepAliveIdle;
        this.requestQueueSize = b.requestQueueSize;
        this.defaultAck = b.defaultAck;
        this.tombstoneTtl = b.tombstoneTtl;
        this.hintLogMaxLength = b.hintLogMaxLength;
        this.replayBatchSize = b.replayBatchSize;
        this.replayInterval = b.replayInterval;
        this.replayClaimIdle = b.replayClaimIdle;
        this.explicitMaxHintAge = b.maxHintAge;
        this.maxHintAge = b.maxHintAge != null ? b.maxHintAge : b.tombstoneTtl.dividedBy(2);
        this.repairRate = b.repairRate;
        this.maxClockOffset = b.maxClockOffset;
        this.repairBatchSize = b.repairBatchSize;
        this.hedgeDelay = b.hedgeDelay;
        this.keyPrefix = b.keyPrefix;
        this.compression = b.compression;
        this.compressionThreshold = b.compressionThreshold;
        this.transferPricePerGb = b.transferPricePerGb;
        this.instanceId = b.instanceId;
        this.registerHealthProbes = b.registerHealthProbes;
        this.namespaces = Collections.unmodifiableMap(new LinkedHashMap<>(b.namespaces));
        this.hintLogMaxBytes = b.hintLogMaxBytes;
        this.allowPlaintext = b.allowPlaintext;
        this.replication = Collections.unmodifiableMap(new LinkedHashMap<>(b.replication));
    }

    /** Returns a builder with every default. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the configuration with every default. */
    public static RegionalRedisConfig defaults() {
        return builder().build();
    }

    /** Returns a builder holding these settings (with the same instance id). */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.commandTimeout = commandTimeout;
        b.operationTimeout = explicitOperationTimeout;
        b.maxReconnectDelay = maxReconnectDelay;
        b.store = store;
        b.connectTimeout = connectTimeout;
        b.keepAliveIdle = keepAliveIdle;
        b.requestQueueSize = requestQueueSize;
        b.defaultAck = defaultAck;
        b.tombstoneTtl = tombstoneTtl;
        b.hintLogMaxLength = hintLogMaxLength;
        b.replayBatchSize = replayBatchSize;
        b.replayInterval = replayInterval;
        b.replayClaimIdle = replayClaimIdle;
        b.maxHintAge = explicitMaxHintAge;
        b.repairRate = repairRate;
        b.maxClockOffset = maxClockOffset;
        b.repairBatchSize = repairBatchSize;
        b.hedgeDelay = hedgeDelay;
        b.keyPrefix = keyPrefix;
        b.compression = compression;
        b.compressionThreshold = compressionThreshold;
        b.transferPricePerGb = transferPricePerGb;
        b.instanceId = instanceId;
        b.registerHealthProbes = registerHealthProbes;
        b.replication.putAll(replication);
        b.namespaces.putAll(namespaces);
        b.hintLogMaxBytes = hintLogMaxBytes;
        b.allowPlaintext = allowPlaintext;
        return b;
    }

    /** Per-command timeout on every region's connection. Default 1 s. */
    public Duration commandTimeout() { return commandTimeout; }
    /**
     * End-to-end bound of one call: a write's fan-out and its hint appends, or a read with its
     * fallbacks. The futures of the asynchronous methods of {@link RegionalRedis} complete within it,
     * give or take one tick of Lettuce's timer (100 ms by default), on which the deadline runs; the
     * synchronous methods return or throw by then, and stop waiting 200 ms after it at the latest.
     * Default {@link #commandTimeout()} + 500 ms.
     */
    public Duration operationTimeout() { return operationTimeout; }
    /**
     * Upper bound of the pause between two reconnect attempts of a region's connection; attempts back
     * off exponentially from 1 ms up to it. Default 500 ms.
     */
    public Duration maxReconnectDelay() { return maxReconnectDelay; }
    /**
     * The store under which this instance's health is kept in the router's RegionHealth: its probes
     * are registered there, real-call results are reported there, and only that store's state decides
     * whether a region is tried. Default {@link Store#REDIS}.
     */
    public Store store() { return store; }
    /** TCP connect timeout. */
    public Duration connectTimeout() { return connectTimeout; }
    /** Idle time before TCP keepalive probes start. */
    public Duration keepAliveIdle() { return keepAliveIdle; }
    /** Bound of commands queued on one region's connection. */
    public int requestQueueSize() { return requestQueueSize; }
    /** Acknowledgement policy of writes that do not name one. */
    public AckPolicy defaultAck() { return defaultAck; }
    /** How long delete tombstones (and writes that arrive already expired) are kept. */
    public Duration tombstoneTtl() { return tombstoneTtl; }
    /** Maximum number of hints kept per target region; older hints are dropped and counted. */
    public long hintLogMaxLength() { return hintLogMaxLength; }
    /**
     * Bound of the bytes one target region's hint log may hold in the local Redis. Each hint counts its
     * key, value, version and metadata plus one eighth, plus 64 bytes, which measured at or above
     * Redis's own {@code MEMORY USAGE} of the stream for values from 20 bytes to 100 KB. A hint that
     * would pass the bound is not appended: the write reports the region as not kept
     * ({@link WriteNotAcknowledgedException#unhintedRegions()}, cause {@link HintLogFullException}),
     * counts it in {@link RegionStats#hintsLost()} and publishes a {@link HintLostEvent}. Older hints
     * are never dropped for bytes. Default 256 MiB.
     */
    public long hintLogMaxBytes() { return hintLogMaxBytes; }
    /** Number of hints replayed per batch. */
    public int replayBatchSize() { return replayBatchSize; }
    /** Pause between replay rounds. */
    public Duration replayInterval() { return replayInterval; }
    /** Idle time after which hints read but not acknowledged by another instance are taken over. */
    public Duration replayClaimIdle() { return replayClaimIdle; }
    /**
     * Hints older than this are not replayed: they are dropped (counted in
     * {@link RegionStats#hintsAbandoned()}) and their region is repaired instead. Always shorter than
     * {@link #tombstoneTtl()}, so a replayed hint always meets the tombstone or retained version that
     * supersedes it. Default: half of {@code tombstoneTtl}.
     */
    public Duration maxHintAge() { return maxHintAge; }
    /**
     * How far ahead of a Redis server's clock, and of this instance's clock, a version may be. A write
     * whose version is further ahead is refused by every region (its writer's clock is wrong: the
     * caller gets {@link WriteNotAcknowledgedException} with a {@link ClockOffsetException} per region),
     * and such a version seen in a reply or a read does not move this instance's clock.
     */
    public Duration maxClockOffset() { return maxClockOffset; }
    /** Keys per second a repair compares, at most; bounds the load it puts on every region. */
    public int repairRate() { return repairRate; }
    /** Keys a repair asks for per SCAN call. */
    public int repairBatchSize() { return repairBatchSize; }
    /** Delay after which a read is also sent to the next region, if hedging is on. */
    public Optional<Duration> hedgeDelay() { return Optional.ofNullable(hedgeDelay); }
    /** Prefix of the module's own keys. */
    public String keyPrefix() { return keyPrefix; }
    /** Whether values above the threshold are compressed. */
    public boolean compression() { return compression; }
    /** Value size in bytes from which values are compressed. */
    public int compressionThreshold() { return compressionThreshold; }
    /** Price per GB (10^9 bytes) of cross-region transfer, for the cost estimate. */
    public double transferPricePerGb() { return transferPricePerGb; }
    /**
     * The readable name that starts each instance's writer id, or null; never the writer id itself,
     * which {@link RegionalRedis#writerId()} draws per instance.
     */
    public String instanceId() { return instanceId; }
    /**
     * Whether a probe per region is registered with the router's RegionHealth under {@link #store()}.
     * It passes when the region's data connection is open and the server answers {@code PING} on a
     * connection of its own. Default true.
     */
    public boolean registerHealthProbes() { return registerHealthProbes; }

    /**
     * Returns how writes reach a region: the mode set with {@link Builder#replication}, else
     * {@link ReplicationMode#IMMEDIATE}. The local region is always written immediately, whatever its
     * entry says, so one configuration can serve the instances of every region.
     *
     * @param regionId the region's id
     */
    public ReplicationMode replication(String regionId) {
        return replication.getOrDefault(regionId, ReplicationMode.IMMEDIATE);
    }

    /** Returns the regions with a replication mode set, by id. */
    public Map<String, ReplicationMode> replicationModes() {
        return replication;
    }
    /**
     * Key prefixes and their data class, as declared. A key that matches none is REGULATED: it belongs
     * to the user (or region) it is written for, and is refused when there is none.
     */
    public Map<String, DataClass> namespaces() { return namespaces; }
    /**
     * Whether {@code redis://} endpoints, which carry commands, values and the password in plaintext,
     * are accepted. Off by default: {@link RegionalRedis.Builder#build()} then refuses them. When on,
     * each plaintext endpoint is logged at WARN at build, by its masked URI.
     */
    public boolean allowPlaintext() { return allowPlaintext; }

    @Override
    public String toString() {
        return "RegionalRedisConfig[store=" + store + ", commandTimeout=" + commandTimeout + ", operationTimeout="
                + operationTimeout + ", maxReconnectDelay=" + maxReconnectDelay + ", connectTimeout=" + connectTimeout
                + ", requestQueueSize=" + requestQueueSize + ", defaultAck=" + defaultAck
                + ", tombstoneTtl=" + tombstoneTtl + ", hintLogMaxLength=" + hintLogMaxLength
                + ", hintLogMaxBytes=" + hintLogMaxBytes
                + ", replayBatchSize=" + replayBatchSize + ", replayInterval=" + replayInterval
                + ", hedgeDelay=" + hedgeDelay + ", compression=" + compression
                + ", compressionThreshold=" + compressionThreshold + ", instanceId=" + instanceId
                + ", maxHintAge=" + maxHintAge + ", repairRate=" + repairRate + ", repairBatchSize=" + repairBatchSize
                + ", maxClockOffset=" + maxClockOffset
                + ", namespaces=" + namespaces + ", allowPlaintext=" + allowPlaintext + ", replication=" + replication
                + "]";
    }

    /** Builder of {@link RegionalRedisConfig}. Not thread-safe. */
    public static final class Builder {
        private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
        private Duration operationTimeout;
        private Duration maxReconnectDelay = DEFAULT_MAX_RECONNECT_DELAY;
        private Store store = Store.REDIS;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration keepAliveIdle = DEFAULT_KEEPALIVE_IDLE;
        private int requestQueueSize = DEFAULT_REQUEST_QUEUE_SIZE;
        private AckPolicy defaultAck = DEFAULT_ACK;
        private Duration tombstoneTtl = DEFAULT_TOMBSTONE_TTL;
        private long hintLogMaxLength = DEFAULT_HINT_LOG_MAX_LENGTH;
        private int replayBatchSize = DEFAULT_REPLAY_BATCH_SIZE;
        private Duration replayInterval = DEFAULT_REPLAY_INTERVAL;
        private Duration replayClaimIdle = DEFAULT_REPLAY_CLAIM_IDLE;
        private Duration maxHintAge;
        private int repairRate = DEFAULT_REPAIR_RATE;
        private Duration maxClockOffset = DEFAULT_MAX_CLOCK_OFFSET;
        private int repairBatchSize = DEFAULT_REPAIR_BATCH_SIZE;
        private Duration hedgeDelay;
        private String keyPrefix = DEFAULT_KEY_PREFIX;
        private boolean compression;
        private int compressionThreshold = DEFAULT_COMPRESSION_THRESHOLD;
        private double transferPricePerGb = DEFAULT_TRANSFER_PRICE_PER_GB;
        private String instanceId;
        private boolean registerHealthProbes = true;
        private final Map<String, DataClass> namespaces = new LinkedHashMap<>();
        private long hintLogMaxBytes = DEFAULT_HINT_LOG_MAX_BYTES;
        private boolean allowPlaintext = DEFAULT_ALLOW_PLAINTEXT;
        private final Map<String, ReplicationMode> replication = new LinkedHashMap<>();

        private Builder() {
        }

        /** Sets the per-command timeout; must be in [1 ms, 1 min]. Default 1 s. */
        public Builder commandTimeout(Duration value) {
            this.commandTimeout = range("redis.commandTimeout", value, MIN_DURATION, MAX_COMMAND_TIMEOUT);
            return this;
        }

        /**
         * Sets the end-to-end bound of one call; must be in [1 ms, 5 min] and longer than the command
         * timeout. Default: the command timeout + 500 ms.
         */
        public Builder operationTimeout(Duration value) {
            this.operationTimeout = range("redis.operationTimeout", value, MIN_DURATION, MAX_OPERATION_TIMEOUT);
            return this;
        }

        /** Sets the upper bound of the pause between reconnect attempts; must be in [1 ms, 1 min]. Default 500 ms. */
        public Builder maxReconnectDelay(Duration value) {
            this.maxReconnectDelay = range("redis.maxReconnectDelay", value, MIN_DURATION, MAX_RECONNECT_DELAY_LIMIT);
            return this;
        }

        /**
         * Sets the store whose health this instance reports and consults, for an application with two
         * Redis deployments in one region. Default {@link Store#REDIS}.
         *
         * @deprecated the store is named on the builder, as in every module:
         *     {@link RegionalRedis.Builder#store(Store)}, which wins over this setting.
         */
        @Deprecated(since = "0.2", forRemoval = false)
        public Builder store(Store value) {
            this.store = notNull("redis.store", value);
            return this;
        }

        /** Sets the TCP connect timeout; must be in [1 ms, 1 min]. Default 1 s. */
        public Builder connectTimeout(Duration value) {
            this.connectTimeout = range("redis.connectTimeout", value, MIN_DURATION, MAX_COMMAND_TIMEOUT);
            return this;
        }

        /** Sets the idle time before TCP keepalive probes; must be in [1 s, 2 h]. Default 5 s. */
        public Builder keepAliveIdle(Duration value) {
            this.keepAliveIdle = range("redis.keepAliveIdle", value, MIN_KEEPALIVE_IDLE, MAX_KEEPALIVE_IDLE);
            return this;
        }

        /** Sets the bound of queued commands per region connection; must be in [1, 1000000]. Default 10,000. */
        public Builder requestQueueSize(int value) {
            this.requestQueueSize = (int) range("redis.requestQueueSize", value, 1, MAX_REQUEST_QUEUE_SIZE);
            return this;
        }

        /** Sets the acknowledgement policy of writes that do not name one. */
        public Builder defaultAck(AckPolicy value) {
            this.defaultAck = notNull("redis.defaultAck", value);
            return this;
        }

        /**
         * Sets how long tombstones are kept; must be in [1 s, 90 days] and longer than the replay
         * interval. Outages longer than this need a resync. Default 24 h.
         */
        public Builder tombstoneTtl(Duration value) {
            this.tombstoneTtl = range("redis.tombstoneTtl", value, MIN_TOMBSTONE_TTL, MAX_TOMBSTONE_TTL);
            return this;
        }

        /** Sets the maximum number of hints per target region; must be in [1, 100000000]. Default 1,000,000. */
        public Builder hintLogMaxLength(long value) {
            this.hintLogMaxLength = range("redis.hintLogMaxLength", value, 1, MAX_HINT_LOG_MAX_LENGTH);
            return this;
        }

        /**
         * Sets the bound of the bytes of one target region's hint log (see {@link #hintLogMaxBytes()});
         * must be in [1 KiB, 64 GiB]. Default 256 MiB.
         */
        public Builder hintLogMaxBytes(long value) {
            this.hintLogMaxBytes = range("redis.hintLogMaxBytes", value, MIN_HINT_LOG_MAX_BYTES,
                    MAX_HINT_LOG_MAX_BYTES);
            return this;
        }

        /** Sets the replay batch size; must be in [1, 10000]. Default 512. */
        public Builder replayBatchSize(int value) {
            this.replayBatchSize = (int) range("redis.replayBatchSize", value, 1, MAX_REPLAY_BATCH_SIZE);
            return this;
        }

        /** Sets the pause between replay rounds; must be in [10 ms, 1 h]. Default 200 ms. */
        public Builder replayInterval(Duration value) {
            this.replayInterval = range("redis.replayInterval", value, MIN_REPLAY_INTERVAL, MAX_REPLAY_INTERVAL);
            return this;
        }

        /**
         * Sets the age from which a hint is not replayed but dropped, its region then being repaired;
         * must be in [1 ms, 90 days] and shorter than {@link #tombstoneTtl(Duration)}, checked at
         * {@link #build()}. Default: half the tombstone TTL.
         */
        public Builder maxHintAge(Duration value) {
            this.maxHintAge = range("redis.maxHintAge", value, MIN_DURATION, MAX_TOMBSTONE_TTL);
            return this;
        }

        /** Sets the maximum clock offset between writers and servers; must be in [1 ms, 1 h]. Default 1 s. */
        public Builder maxClockOffset(Duration value) {
            this.maxClockOffset = range("redis.maxClockOffset", value, MIN_DURATION, Duration.ofHours(1));
            return this;
        }

        /** Sets the keys per second a repair compares, at most; must be in [1, 1000000]. Default 10,000. */
        public Builder repairRate(int value) {
            this.repairRate = (int) range("redis.repairRate", value, 1, 1_000_000);
            return this;
        }

        /** Sets the keys a repair asks for per SCAN call; must be in [1, 10000]. Default 500. */
        public Builder repairBatchSize(int value) {
            this.repairBatchSize = (int) range("redis.repairBatchSize", value, 1, 10_000);
            return this;
        }

        /**
         * Sets when another instance's unacknowledged hints are taken over; must be in [1 ms, 1 h] and
         * longer than the command timeout. Default 30 s.
         */
        public Builder replayClaimIdle(Duration value) {
            this.replayClaimIdle = range("redis.replayClaimIdle", value, MIN_DURATION, MAX_REPLAY_INTERVAL);
            return this;
        }

        /**
         * Turns hedged reads on: after this delay a read is also sent to the next region. Must be in
         * [1 ms, 1 min] and shorter than the command timeout.
         */
        public Builder hedgeDelay(Duration value) {
            this.hedgeDelay = range("redis.hedgeDelay", value, MIN_DURATION, MAX_COMMAND_TIMEOUT);
            return this;
        }

        /**
         * Sets the prefix of the module's own keys; 1 to 64 characters without whitespace or braces.
         * Keys under it are refused by every application call. Default {@code rr:}.
         */
        public Builder keyPrefix(String value) {
            notNull("redis.keyPrefix", value);
            if (value.isEmpty() || value.length() > 64 || value.matches(".*[\\s{}].*")) {
                throw invalid("redis.keyPrefix", "\"" + value + "\"",
                        "must be 1 to 64 characters without whitespace or braces");
            }
            this.keyPrefix = value;
            return this;
        }

        /** Turns compression of values at or above the threshold on or off. */
        public Builder compression(boolean value) {
            this.compression = value;
            return this;
        }

        /** Sets the value size from which values are compressed; must be in [1, 536870912]. Default 512. */
        public Builder compressionThreshold(int value) {
            this.compressionThreshold = (int) range("redis.compressionThreshold", value, 1, MAX_COMPRESSION_THRESHOLD);
            return this;
        }

        /** Sets the price per GB of cross-region transfer; must be finite and >= 0. */
        public Builder transferPricePerGb(double value) {
            if (!(value >= 0) || Double.isInfinite(value)) {
                throw invalid("redis.transferPricePerGb", value, "must be finite and >= 0");
            }
            this.transferPricePerGb = value;
            return this;
        }

        /**
         * Sets a readable name that starts the writer id of every {@link RegionalRedis} built with this
         * configuration; default none. It is a label only: each instance adds a runtime part drawn
         * when it is built, so two instances built from one configuration never share a writer id.
         */
        public Builder instanceId(String value) {
            notNull("redis.instanceId", value);
            if (!INSTANCE_ID.matcher(value).matches()) {
                throw invalid("redis.instanceId", "\"" + value + "\"", "must match " + INSTANCE_ID.pattern());
            }
            this.instanceId = value;
            return this;
        }

        /**
         * Sets whether a probe per region is registered with the router's RegionHealth. Default true.
         * Without a probe the store is not monitored unless something else registers one: it reads UP
         * and real-call results are ignored.
         *
         * @deprecated the probe switch is on the builder, as in every module:
         *     {@link RegionalRedis.Builder#healthProbes(boolean)}, which wins over this setting.
         */
        @Deprecated(since = "0.2", forRemoval = false)
        public Builder registerHealthProbes(boolean value) {
            this.registerHealthProbes = value;
            return this;
        }

        /**
         * Declares that keys starting with {@code prefix} are REGULATED: they are written only to the
         * regions that the residency rules of the user's home region allow. Keys that match no
         * namespace are REGULATED too; declaring it documents the intent and overrides a shorter
         * GLOBAL prefix ({@code global("product:")}, {@code regulated("product:reviews:")}).
         */
        public Builder regulated(String prefix) {
            return namespace(prefix, DataClass.REGULATED);
        }

        /**
         * Declares that keys starting with {@code prefix} are GLOBAL: they go to every region. This is
         * the only way for a key to leave its owner's allowed regions.
         */
        public Builder global(String prefix) {
            return namespace(prefix, DataClass.GLOBAL);
        }

        /**
         * Declares the data class of keys starting with {@code prefix}; the longest prefix wins. The
         * prefix must be 1 to 256 characters and must not lie under {@link #keyPrefix(String)}; at most
         * 1,000 namespaces.
         */
        public Builder namespace(String prefix, DataClass dataClass) {
            notNull("redis.namespace.prefix", prefix);
            notNull("redis.namespace.dataClass", dataClass);
            if (prefix.isEmpty() || prefix.length() > MAX_NAMESPACE_PREFIX_LENGTH) {
                throw invalid("redis.namespace.prefix", "\"" + prefix + "\"",
                        "must be 1 to " + MAX_NAMESPACE_PREFIX_LENGTH + " characters");
            }
            DataClass previous = namespaces.get(prefix);
            if (previous != null && previous != dataClass) {
                throw invalid("redis.namespace.prefix", "\"" + prefix + "\"",
                        "must be declared once, but is both " + previous + " and " + dataClass);
            }
            if (previous == null && namespaces.size() >= MAX_NAMESPACES) {
                throw invalid("redis.namespaces", namespaces.size() + 1, "must be at most " + MAX_NAMESPACES);
            }
            namespaces.put(prefix, dataClass);
            return this;
        }

        /**
         * Accepts {@code redis://} endpoints, which send commands, values and the password unencrypted.
         * Off by default, and then {@link RegionalRedis.Builder#build()} refuses them with an
         * {@link InvalidConfigurationException}. Loopback addresses get no exemption: a local port may
         * well be a plaintext tunnel to another host. When on, every plaintext endpoint is logged at WARN
         * at build, by its masked URI.
         */
        public Builder allowPlaintext(boolean value) {
            this.allowPlaintext = value;
            return this;
        }

        /**
         * Sets how writes reach a remote region (default {@link ReplicationMode#IMMEDIATE}). A region id
         * that is not in the router's topology fails at {@link RegionalRedis.Builder#build()}.
         *
         * @param regionId the region's id
         * @param mode its mode
         */
        public Builder replication(String regionId, ReplicationMode mode) {
            notNull("redis.replication.region", regionId);
            notNull("redis.replication.mode", mode);
            if (regionId.isBlank()) {
                throw invalid("redis.replication.region", "\"" + regionId + "\"", "must not be blank");
            }
            replication.put(regionId, mode);
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @throws InvalidConfigurationException if settings contradict each other
         */
        public RegionalRedisConfig build() {
            if (operationTimeout != null && operationTimeout.compareTo(commandTimeout) <= 0) {
                throw invalid("redis.operationTimeout", operationTimeout,
                        "must be > redis.commandTimeout (" + commandTimeout + ")");
            }
            if (hedgeDelay != null && hedgeDelay.compareTo(commandTimeout) >= 0) {
                throw invalid("redis.hedgeDelay", hedgeDelay, "must be < redis.commandTimeout (" + commandTimeout + ")");
            }
            if (maxHintAge != null && maxHintAge.compareTo(tombstoneTtl) >= 0) {
                throw invalid("redis.maxHintAge", maxHintAge, "must be < redis.tombstoneTtl (" + tombstoneTtl
                        + "), or a replayed hint could outlive the tombstone that supersedes it");
            }
            if (replayClaimIdle.compareTo(commandTimeout) <= 0) {
                throw invalid("redis.replayClaimIdle", replayClaimIdle,
                        "must be > redis.commandTimeout (" + commandTimeout + ")");
            }
            if (tombstoneTtl.compareTo(replayInterval) <= 0) {
                throw invalid("redis.tombstoneTtl", tombstoneTtl,
                        "must be > redis.replayInterval (" + replayInterval + ")");
            }
            for (String prefix : namespaces.keySet()) {
                if (prefix.startsWith(keyPrefix)) {
                    throw invalid("redis.namespace.prefix", "\"" + prefix + "\"",
                            "must not lie under redis.keyPrefix (\"" + keyPrefix + "\"), whose keys belong to the"
                                    + " library");
                }
            }
            return new RegionalRedisConfig(this);
        }

        private static <T> T notNull(String field, T value) {
            if (value == null) {
                throw new InvalidConfigurationException(field, null, field + " must not be null");
            }
            return value;
        }

        private static Duration range(String field, Duration value, Duration min, Duration max) {
            notNull(field, value);
            if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                throw invalid(field, value, "must be in [" + min + ", " + max + "]");
            }
            return value;
        }

        private static long range(String field, long value, long min, long max) {
            if (value < min || value > max) {
                throw invalid(field, value, "must be in [" + min + ", " + max + "]");
            }
            return value;
        }

        private static InvalidConfigurationException invalid(String field, Object value, String rule) {
            return new InvalidConfigurationException(field, value, field + " " + rule + ", but was " + value);
        }
    }

}
