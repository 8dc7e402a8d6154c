package io.regionrouter.jdbc;

import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.support.Sql;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Immutable settings of a {@link RegionalDataSources}, given with
 * {@link RegionalDataSources.Builder#config(RegionalJdbcConfig)}; the same shape as
 * {@code RegionalRedisConfig} and {@code RegionalMongoConfig}.
 *
 * <pre>{@code
 * RegionalDataSources pg = RegionalDataSources.builder(router)
 *     .region(us, usPool)
 *     .region(eu, euPool)
 *     .config(RegionalJdbcConfig.builder()
 *         .connectionBudget(Duration.ofSeconds(5))   // room for a fallback after a 2 s checkout timeout
 *         .startup(StartupMode.LAZY)
 *         .build())
 *     .build();
 * }</pre>
 *
 * <p><b>What goes where.</b> This object holds the module's <em>tunables</em>: values that have a
 * default, a range and no identity of their own, that one configuration may share across
 * environments and that can be built and checked without a router (from Spring properties, say):
 * the {@link #connectionBudget() connection budget}, the {@link #sessionSetting() session setting}'s
 * name, the {@link #startup() startup mode} and the {@link #replicaReads() replica-read settings}.
 * The builder of {@link RegionalDataSources} keeps the <em>collaborators and the topology</em>:
 * the router, each region's pool ({@code region(...)}) and read replicas ({@code replica(...)}),
 * the {@code store} whose health routes the calls, the {@code ticker}, listeners, the
 * {@code healthProbes} switch, and the {@code defaultRegion}. The default region names a region,
 * which only means something against the router's topology and is checked there, like
 * {@code region(...)}; a configuration holding one could not be validated on its own nor shared
 * between applications whose topologies differ.
 *
 * <p>Every setter validates its argument; a bad value fails with an
 * {@link InvalidConfigurationException} that names the setting and the value. Thread-safe.
 */
public final class RegionalJdbcConfig {

    /** Default name of the session setting that carries the region: {@value}. */
    public static final String DEFAULT_SESSION_SETTING = "app.user_region";
    /** Default startup mode: {@link StartupMode#FAIL_FAST}. */
    public static final StartupMode DEFAULT_STARTUP_MODE = StartupMode.FAIL_FAST;
    /** The shortest {@link #connectionBudget() connection budget}: 250 ms. */
    public static final Duration MIN_CONNECTION_BUDGET = Duration.ofMillis(250);
    /** The longest {@link #connectionBudget() connection budget}: 10 min. */
    public static final Duration MAX_CONNECTION_BUDGET = Duration.ofMinutes(10);

    private static final RegionalJdbcConfig DEFAULTS = builder().build();

    private final Duration connectionBudget;
    private final String sessionSetting;
    private final StartupMode startup;
    private final ReplicaReadConfig replicaReads;

    private RegionalJdbcConfig(Builder b) {
        this.connectionBudget = b.connectionBudget;
        this.sessionSetting = b.sessionSetting;
        this.startup = b.startup;
        this.replicaReads = b.replicaReads;
    }

    /**
     * Returns the configuration with every default.
     *
     * @return the defaults
     */
    public static RegionalJdbcConfig defaults() {
        return DEFAULTS;
    }

    /**
     * Returns a builder with every default.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a builder holding these settings.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.connectionBudget = connectionBudget;
        b.sessionSetting = sessionSetting;
        b.startup = startup;
        b.replicaReads = replicaReads;
        return b;
    }

    /**
     * The most one {@code getConnection()} may take, the region directory lookup, the checkout and
     * any fallback checkout included; each checkout gets what is left, capped by its pool's
     * {@code connectionTimeout}. Empty (the default) means derived from the pools: the longest
     * {@link RegionPoolConfig#connectionTimeout()} of the configured regions (2 s with the
     * defaults), so after a checkout that timed out there is no time left for a fallback. The
     * budget in force is {@link RegionalDataSources#connectionBudget()}.
     *
     * @return the budget, or empty for the pools' longest connection timeout
     */
    public Optional<Duration> connectionBudget() {
        return Optional.ofNullable(connectionBudget);
    }

    /**
     * The name of the session setting that carries the region, bound once per physical connection.
     * Default {@value #DEFAULT_SESSION_SETTING}. {@link ResidencySchema} must use the same name.
     *
     * @return the setting's name
     */
    public String sessionSetting() {
        return sessionSetting;
    }

    /**
     * What {@link RegionalDataSources.Builder#build()} does when a database cannot be reached.
     * Default {@link StartupMode#FAIL_FAST}.
     *
     * @return the startup mode
     */
    public StartupMode startup() {
        return startup;
    }

    /**
     * How read-only work uses the read replicas declared with
     * {@link RegionalDataSources.Builder#replica}; unused without replicas. Default
     * {@link ReplicaReadConfig#defaults()}: at most 5 s of lag, no read-your-writes.
     *
     * @return the replica-read settings
     */
    public ReplicaReadConfig replicaReads() {
        return replicaReads;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RegionalJdbcConfig c && Objects.equals(connectionBudget, c.connectionBudget)
                && sessionSetting.equals(c.sessionSetting) && startup == c.startup && replicaReads.equals(c.replicaReads);
    }

    @Override
    public int hashCode() {
        return Objects.hash(connectionBudget, sessionSetting, startup, replicaReads);
    }

    @Override
    public String toString() {
        return "RegionalJdbcConfig[connectionBudget=" + (connectionBudget == null ? "derived" : connectionBudget)
                + ", sessionSetting=" + sessionSetting + ", startup=" + startup + ", replicaReads=" + replicaReads + "]";
    }

    /** Checks a connection budget: 250 ms to 10 min. The one place of the rule and its message. */
    static Duration checkConnectionBudget(Duration budget) {
        if (budget == null || budget.compareTo(MIN_CONNECTION_BUDGET) < 0 || budget.compareTo(MAX_CONNECTION_BUDGET) > 0) {
            throw new InvalidConfigurationException("connectionBudget", budget, "connectionBudget must be between "
                    + MIN_CONNECTION_BUDGET.toMillis() + " ms and " + MAX_CONNECTION_BUDGET.toMinutes() + " min, but was "
                    + (budget == null ? "null" : budget.toMillis() + " ms"));
        }
        return budget;
    }

    static String checkSessionSetting(String name) {
        return Sql.sessionSetting("sessionSetting", name);
    }

    static StartupMode checkStartup(StartupMode mode) {
        if (mode == null) {
            throw new InvalidConfigurationException("startup", null, "startup must be one of "
                    + Arrays.toString(StartupMode.values()) + ", but was null");
        }
        return mode;
    }

    static ReplicaReadConfig checkReplicaReads(ReplicaReadConfig config) {
        if (config == null) {
            throw new InvalidConfigurationException("replicaReads", null, "replicaReads must not be null, but was null");
        }
        return config;
    }

    /** Builder of {@link RegionalJdbcConfig}. Not thread-safe. */
    public static final class Builder {
        private Duration connectionBudget;
        private String sessionSetting = DEFAULT_SESSION_SETTING;
        private StartupMode startup = DEFAULT_STARTUP_MODE;
        private ReplicaReadConfig replicaReads = ReplicaReadConfig.defaults();

        private Builder() {
        }

        /**
         * Sets the most one {@code getConnection()} may take, directory lookup and fallback
         * included. Default: the longest {@code connectionTimeout} of the configured pools; raise
         * the budget above the pools' timeouts to leave time for a fallback.
         *
         * @param budget from 250 ms to 10 min
         * @return this builder
         * @throws InvalidConfigurationException if the budget is null or out of range
         */
        public Builder connectionBudget(Duration budget) {
            this.connectionBudget = checkConnectionBudget(budget);
            return this;
        }

        /**
         * Goes back to the default budget, derived from the pools (the longest
         * {@code connectionTimeout}).
         *
         * @return this builder
         */
        public Builder connectionBudgetFromPools() {
            this.connectionBudget = null;
            return this;
        }

        /**
         * Sets the name of the session setting that carries the region. Default
         * {@value #DEFAULT_SESSION_SETTING}.
         *
         * @param name a custom setting name: lower-case identifiers joined by dots
         * @return this builder
         * @throws InvalidConfigurationException if the name is not a custom setting name
         */
        public Builder sessionSetting(String name) {
            this.sessionSetting = checkSessionSetting(name);
            return this;
        }

        /**
         * Sets what happens when a database is unreachable at startup. Default
         * {@link StartupMode#FAIL_FAST}.
         *
         * @param mode the mode
         * @return this builder
         * @throws InvalidConfigurationException if the mode is null
         */
        public Builder startup(StartupMode mode) {
            this.startup = checkStartup(mode);
            return this;
        }

        /**
         * Sets how read-only work uses the replicas. Default {@link ReplicaReadConfig#defaults()}.
         *
         * @param config the replica-read settings
         * @return this builder
         * @throws InvalidConfigurationException if the settings are null
         */
        public Builder replicaReads(ReplicaReadConfig config) {
            this.replicaReads = checkReplicaReads(config);
            return this;
        }

        /**
         * Builds the configuration. Every value was checked when it was set, so a mistake names its
         * setting at the call that made it; no two of these settings constrain each other.
         *
         * @return the configuration
         */
        public RegionalJdbcConfig build() {
            return new RegionalJdbcConfig(this);
        }
    }
}
