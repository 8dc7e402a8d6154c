package io.regionrouter.mongo;

import com.mongodb.MongoClientSettings;
import com.mongodb.ReadPreference;
import com.mongodb.WriteConcern;
import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Region;
import io.regionrouter.core.support.Messages;
import io.regionrouter.mongo.internal.ClusterSettings;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Immutable settings of a {@link RegionalMongoClients}: the one place for its tunables, as
 * {@code RegionalRedisConfig} is for Redis.
 *
 * <pre>{@code
 * RegionalMongoConfig config = RegionalMongoConfig.builder()
 *     .database("app")
 *     .writeConcern(WriteConcern.MAJORITY)
 *     .operationTimeout(Duration.ofSeconds(3))
 *     .build();
 * RegionalMongoClients mongo = RegionalMongoClients.builder(router)
 *     .region("us", "mongodb://mongo-us.internal:27017")
 *     .region("eu", "mongodb://mongo-eu.internal:27017")
 *     .config(config)
 *     .build();
 * }</pre>
 *
 * <p><b>What goes where.</b> Tunables live here: names (database, region tag, region field,
 * application name), timeouts, read and write concerns, and switches of behaviour
 * ({@link #moveFences()}). Collaborators and topology stay on {@link RegionalMongoClients.Builder}:
 * the router, each region's connection string, the {@link io.regionrouter.core.Store} its health is
 * kept under, the clock, whether health probes are registered, and the driver settings customizer.
 * A configuration therefore holds nothing per region and no secret, can be shared by the instances
 * of every region, and prints whole in {@link #toString()}.
 *
 * <p><b>Precedence.</b> Each region's driver settings are built from, lowest first: the defaults of
 * this class, the options written in the region's connection string, the values set on this
 * builder, and the builder's settings customizer, which runs last. So a connection string's
 * {@code ?w=1} overrides the default write concern, but not one set here.
 *
 * <p>Every setter validates its argument and fails with an {@link InvalidConfigurationException}
 * that names the setting and the value; every timeout has a range (the {@code MAX_} constants).
 */
public final class RegionalMongoConfig {

    /** Default wtimeout of the default write concern: 5 s. */
    public static final Duration DEFAULT_WTIMEOUT = Duration.ofSeconds(5);
    /** Default write concern: {@code {w: "majority", j: true, wtimeout: 5000}}: an acknowledged write survives a failover. */
    public static final WriteConcern DEFAULT_WRITE_CONCERN =
            WriteConcern.MAJORITY.withJournal(true).withWTimeout(DEFAULT_WTIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    /**
     * Default server selection timeout: 5 s instead of the driver's 30 s. With core's health defaults
     * the probe declares a dead cluster DOWN in about 2 s, after which routing stops sending calls to
     * it; a caller should not hold a thread 30 s for a cluster that routing has already given up on.
     * 5 s still rides out a brief primary step-down; a full election can take longer and then
     * surfaces as a {@code MongoTimeoutException}, a "could not reach" failure of the store.
     */
    public static final Duration DEFAULT_SERVER_SELECTION_TIMEOUT = Duration.ofSeconds(5);
    /** Default connect timeout (driver default 10 s); the driver's monitors also use it as heartbeat timeout. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /**
     * Default client-side operation timeout ({@code timeoutMS}): 10 s, for every operation of the
     * synchronous API, from server selection to the reply, and for a cursor from the first batch to
     * the last. Without one, an operation in flight when its region is partitioned waits forever for
     * a reply (the driver's socket read timeout defaults to none). Disabling it
     * ({@code operationTimeout(null)}, or {@code timeoutMS=0} in the connection string) leaves reads
     * and writes unbounded unless {@code socketTimeoutMS} is set.
     */
    public static final Duration DEFAULT_OPERATION_TIMEOUT = Duration.ofSeconds(10);
    /** Default application name, shown in the server's logs and {@code currentOp}. */
    public static final String DEFAULT_APPLICATION_NAME = "region-router";
    /** Default replica-set tag holding a member's region. */
    public static final String DEFAULT_REGION_TAG = RegionAwareServerSelector.DEFAULT_TAG_NAME;
    /** Default document field holding a document's home region. */
    public static final String DEFAULT_REGION_FIELD = ResidencyGuard.DEFAULT_REGION_FIELD;
    /** Longest allowed {@link #serverSelectionTimeout()}: 10 min. */
    public static final Duration MAX_SERVER_SELECTION_TIMEOUT = Duration.ofMinutes(10);
    /** Longest allowed {@link #connectTimeout()}: 5 min. */
    public static final Duration MAX_CONNECT_TIMEOUT = Duration.ofMinutes(5);
    /** Longest allowed {@link #operationTimeout()}: 1 h. */
    public static final Duration MAX_OPERATION_TIMEOUT = Duration.ofHours(1);
    /** Longest allowed {@link #applicationName()} in UTF-8 bytes: 128, a driver limit. */
    public static final int MAX_APPLICATION_NAME_BYTES = 128;

    private static final RegionalMongoConfig DEFAULTS = new Builder().build();

    // Fields the builder may leave unset are null here: a default sits below the connection string's
    // options, a value that was set sits above them, so the two must stay apart.
    private final String database;
    private final String regionTag;
    private final String regionField;
    private final ReadPreference readPreference;
    private final WriteConcern writeConcern;
    private final Duration serverSelectionTimeout;
    private final Duration connectTimeout;
    private final Duration operationTimeout;
    private final boolean operationTimeoutSet;
    private final String applicationName;
    private final boolean moveFences;

    private RegionalMongoConfig(Builder b) {
        this.database = b.database;
        this.regionTag = b.regionTag;
        this.regionField = b.regionField;
        this.readPreference = b.readPreference;
        this.writeConcern = b.writeConcern;
        this.serverSelectionTimeout = b.serverSelectionTimeout;
        this.connectTimeout = b.connectTimeout;
        this.operationTimeout = b.operationTimeout;
        this.operationTimeoutSet = b.operationTimeoutSet;
        this.applicationName = b.applicationName;
        this.moveFences = b.moveFences;
    }

    /** Returns a builder with every default. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the configuration with every default. */
    public static RegionalMongoConfig defaults() {
        return DEFAULTS;
    }

    /** Returns a builder holding these settings, each still marked as set or defaulted. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.database = database;
        b.regionTag = regionTag;
        b.regionField = regionField;
        b.readPreference = readPreference;
        b.writeConcern = writeConcern;
        b.serverSelectionTimeout = serverSelectionTimeout;
        b.connectTimeout = connectTimeout;
        b.operationTimeout = operationTimeout;
        b.operationTimeoutSet = operationTimeoutSet;
        b.applicationName = applicationName;
        b.moveFences = moveFences;
        return b;
    }

    /** The database name in every cluster; empty (the default) to take the one in each connection string. */
    public Optional<String> database() {
        return Optional.ofNullable(database);
    }

    /** The replica-set tag holding a member's region, used by the default read preference. Default {@code region}. */
    public String regionTag() {
        return regionTag != null ? regionTag : DEFAULT_REGION_TAG;
    }

    /** The top-level document field holding a document's home region. Default {@code region}. */
    public String regionField() {
        return regionField;
    }

    /**
     * The read preference, when one was set; empty (the default) for
     * {@link RegionalMongoClients#defaultReadPreference nearest, the local region's tag set first},
     * which depends on the topology's local region.
     */
    public Optional<ReadPreference> readPreference() {
        return Optional.ofNullable(readPreference);
    }

    /** The write concern. Default {@link #DEFAULT_WRITE_CONCERN}. */
    public WriteConcern writeConcern() {
        return writeConcern != null ? writeConcern : DEFAULT_WRITE_CONCERN;
    }

    /** The server selection timeout. Default {@link #DEFAULT_SERVER_SELECTION_TIMEOUT}. */
    public Duration serverSelectionTimeout() {
        return serverSelectionTimeout != null ? serverSelectionTimeout : DEFAULT_SERVER_SELECTION_TIMEOUT;
    }

    /** The connect timeout. Default {@link #DEFAULT_CONNECT_TIMEOUT}. */
    public Duration connectTimeout() {
        return connectTimeout != null ? connectTimeout : DEFAULT_CONNECT_TIMEOUT;
    }

    /**
     * The client-side operation timeout ({@code timeoutMS}); empty when disabled. Default
     * {@link #DEFAULT_OPERATION_TIMEOUT}.
     */
    public Optional<Duration> operationTimeout() {
        return operationTimeoutSet ? Optional.ofNullable(operationTimeout) : Optional.of(DEFAULT_OPERATION_TIMEOUT);
    }

    /** The application name. Default {@link #DEFAULT_APPLICATION_NAME}. */
    public String applicationName() {
        return applicationName != null ? applicationName : DEFAULT_APPLICATION_NAME;
    }

    /**
     * Whether user-routed writes check the user's move marker first ({@link Builder#moveFences}).
     * Default false.
     */
    public boolean moveFences() {
        return moveFences;
    }

    /** The library's defaults, which a connection string's options override. */
    ClusterSettings.Choices defaultChoices(Region local) {
        return new ClusterSettings.Choices(
                RegionalMongoClients.defaultReadPreference(regionTag(), local), DEFAULT_WRITE_CONCERN,
                DEFAULT_SERVER_SELECTION_TIMEOUT, DEFAULT_CONNECT_TIMEOUT,
                operationTimeoutSet ? null : DEFAULT_OPERATION_TIMEOUT, DEFAULT_APPLICATION_NAME, null);
    }

    /** The values set here, which override a connection string's options; then the customizer. */
    ClusterSettings.Choices chosenChoices(BiConsumer<Region, MongoClientSettings.Builder> customizer) {
        return new ClusterSettings.Choices(readPreference, writeConcern, serverSelectionTimeout, connectTimeout,
                operationTimeoutSet ? operationTimeout : null, applicationName, customizer);
    }

    @Override
    public String toString() {
        return "RegionalMongoConfig[database=" + (database != null ? database : "(from connection string)")
                + ", regionTag=" + regionTag() + ", regionField=" + regionField
                + ", readPreference=" + (readPreference != null ? readPreference : "(nearest, local tag first)")
                + ", writeConcern=" + marked(writeConcern(), writeConcern == null)
                + ", serverSelectionTimeout=" + marked(serverSelectionTimeout(), serverSelectionTimeout == null)
                + ", connectTimeout=" + marked(connectTimeout(), connectTimeout == null)
                + ", operationTimeout=" + marked(operationTimeout().map(Object::toString).orElse("disabled"),
                        !operationTimeoutSet)
                + ", applicationName=" + marked(applicationName(), applicationName == null)
                + ", moveFences=" + moveFences + "]";
    }

    /** Marks a default, which a connection string's option overrides, apart from a value that was set. */
    private static String marked(Object value, boolean isDefault) {
        return isDefault ? value + " (default)" : String.valueOf(value);
    }

    /** Builder of {@link RegionalMongoConfig}. Not thread-safe. */
    public static final class Builder {
        private String database;
        private String regionTag;
        private String regionField = DEFAULT_REGION_FIELD;
        private ReadPreference readPreference;
        private WriteConcern writeConcern;
        private Duration serverSelectionTimeout;
        private Duration connectTimeout;
        private Duration operationTimeout;
        private boolean operationTimeoutSet;
        private String applicationName;
        private boolean moveFences;

        private Builder() {
        }

        /**
         * Sets the database name in every cluster; a non-blank name without {@code .} or spaces.
         * Default: the one in each connection string, which then must name one.
         */
        public Builder database(String database) {
            if (database == null || database.isBlank() || database.contains(".") || database.contains(" ")) {
                throw new InvalidConfigurationException("database", database,
                        "database must be a non-blank name without '.' or spaces, but was " + Messages.quote(database));
            }
            this.database = database;
            return this;
        }

        /**
         * Sets the replica-set tag holding a member's region, used by the default read preference only,
         * so it has no effect once {@link #readPreference} is set.
         */
        public Builder regionTag(String regionTag) {
            this.regionTag = nonBlank("regionTag", regionTag);
            return this;
        }

        /**
         * Sets the document field holding a document's home region; default {@code region}. A
         * top-level field name: no {@code .}, not starting with {@code $}.
         */
        public Builder regionField(String regionField) {
            nonBlank("regionField", regionField);
            if (!ResidencyGuard.isTopLevelFieldName(regionField)) {
                throw new InvalidConfigurationException("regionField", regionField, "regionField must be a top-level"
                        + " field name (no '.', not starting with '$'), but was " + Messages.quote(regionField));
            }
            this.regionField = regionField;
            return this;
        }

        /**
         * Overrides the default read preference (nearest, local region's tag set first), which
         * makes {@link #regionTag} moot.
         */
        public Builder readPreference(ReadPreference readPreference) {
            this.readPreference = notNull("readPreference", readPreference);
            return this;
        }

        /** Overrides {@link #DEFAULT_WRITE_CONCERN}. */
        public Builder writeConcern(WriteConcern writeConcern) {
            this.writeConcern = notNull("writeConcern", writeConcern);
            return this;
        }

        /** Overrides {@link #DEFAULT_SERVER_SELECTION_TIMEOUT}; must be in (0, 10 min]. */
        public Builder serverSelectionTimeout(Duration timeout) {
            this.serverSelectionTimeout = atMost("serverSelectionTimeout", positive("serverSelectionTimeout", timeout),
                    MAX_SERVER_SELECTION_TIMEOUT);
            return this;
        }

        /** Overrides {@link #DEFAULT_CONNECT_TIMEOUT}; must be in (0, 5 min]. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = atMost("connectTimeout", positive("connectTimeout", timeout), MAX_CONNECT_TIMEOUT);
            return this;
        }

        /**
         * Overrides {@link #DEFAULT_OPERATION_TIMEOUT}; must be in (0, 1 h], or {@code null} to disable
         * the client-side timeout (a {@code timeoutMS} in the connection string then still applies).
         */
        public Builder operationTimeout(Duration timeout) {
            this.operationTimeout = timeout == null ? null
                    : atMost("operationTimeout", positive("operationTimeout", timeout), MAX_OPERATION_TIMEOUT);
            this.operationTimeoutSet = true;
            return this;
        }

        /** Overrides {@link #DEFAULT_APPLICATION_NAME}; at most 128 bytes in UTF-8 (a driver limit). */
        public Builder applicationName(String applicationName) {
            nonBlank("applicationName", applicationName);
            int bytes = applicationName.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_APPLICATION_NAME_BYTES) {
                throw new InvalidConfigurationException("applicationName", applicationName,
                        "applicationName must be at most " + MAX_APPLICATION_NAME_BYTES + " bytes in UTF-8, but was "
                                + bytes + " bytes");
            }
            this.applicationName = applicationName;
            return this;
        }

        /**
         * Whether every document write of a database routed for a user
         * ({@link RegionalMongoClients#forUser}, {@link RegionalMongoClients#forCurrentContext}) first
         * reads the user's move marker in that region's database and is refused while a
         * {@link MongoUserMover} freezes the user there ({@link io.regionrouter.core.UserFrozenException})
         * or after the user moved away ({@link io.regionrouter.core.UserMovedAwayException}). Costs one
         * indexed read per write. Turn it on in every instance when users are moved. Default off.
         */
        public Builder moveFences(boolean on) {
            this.moveFences = on;
            return this;
        }

        /**
         * Builds the configuration. Each setter has checked its value already, and no setting
         * constrains another, so building cannot fail.
         */
        public RegionalMongoConfig build() {
            return new RegionalMongoConfig(this);
        }

        private static <T> T notNull(String field, T value) {
            if (value == null) {
                throw new InvalidConfigurationException(field, null, field + " must not be null, but was null");
            }
            return value;
        }

        private static String nonBlank(String field, String value) {
            if (value == null || value.isBlank()) {
                throw new InvalidConfigurationException(field, value,
                        field + " must not be blank, but was " + Messages.quote(value));
            }
            return value;
        }

        private static Duration positive(String field, Duration value) {
            if (value == null || value.isZero() || value.isNegative()) {
                throw new InvalidConfigurationException(field, value, field + " must be > 0, but was " + value);
            }
            return value;
        }

        private static Duration atMost(String field, Duration value, Duration max) {
            if (value.compareTo(max) > 0) {
                throw new InvalidConfigurationException(field, value, field + " must be <= " + max + ", but was " + value);
            }
            return value;
        }
    }
}
