package io.regionrouter.jdbc;

import com.zaxxer.hikari.HikariConfig;
import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.support.Bounds;
import io.regionrouter.core.support.JdbcUrls;
import io.regionrouter.core.support.Secrets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Immutable configuration of one region's HikariCP pool. Build it with {@link #builder()}; each
 * region of {@link RegionalDataSources} gets its own, so sizes can differ (a full pool in the primary,
 * small ones in the secondaries).
 *
 * <p>The defaults differ from HikariCP's on purpose: {@link #DEFAULT_CONNECTION_TIMEOUT} is 2 s
 * instead of 30 s, because a caller waiting for a connection from a region that has just gone dark
 * should learn it quickly; once the health monitor marks the region DOWN, the pool is not asked at
 * all. Raise it for pools that are expected to queue under load.
 *
 * <p>Every statement is bounded too: {@link #DEFAULT_SOCKET_TIMEOUT} (30 s) is set as the driver's
 * {@code socketTimeout}, so a statement sent into a partitioned region fails after that long instead
 * of hanging for the whole partition. Raise it for statements that legitimately run longer; it
 * cannot be turned off. A write that fails this way may still have been applied, and says so with an
 * {@link OutcomeUnknownSQLException}.
 *
 * <p>{@link #toString()} masks the password and any secret in the URL or the driver properties.
 */
public final class RegionPoolConfig {

    /** Default {@code maximumPoolSize}: 10. */
    public static final int DEFAULT_MAXIMUM_POOL_SIZE = 10;
    /** Default {@code connectionTimeout}: 2 s (HikariCP's own default is 30 s). */
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(2);
    /** Default {@code validationTimeout}: 1 s. */
    public static final Duration DEFAULT_VALIDATION_TIMEOUT = Duration.ofSeconds(1);
    /** Default {@code idleTimeout}: 10 min. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);
    /** Default {@code maxLifetime}: 30 min. */
    public static final Duration DEFAULT_MAX_LIFETIME = Duration.ofMinutes(30);
    /** The shortest connection or validation timeout HikariCP accepts: 250 ms. */
    public static final Duration MIN_TIMEOUT = Duration.ofMillis(250);
    /** Default {@code socketTimeout}: 30 s. */
    public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(30);
    /** The shortest {@code socketTimeout}: 1 s, the driver's resolution. */
    public static final Duration MIN_SOCKET_TIMEOUT = Duration.ofSeconds(1);
    /** The longest {@code socketTimeout}: 24 h. */
    public static final Duration MAX_SOCKET_TIMEOUT = Duration.ofHours(24);

    /** The largest {@code maximumPoolSize} (and {@code minimumIdle}): 1,000. */
    public static final int MAX_POOL_SIZE = 1000;

    /** The TLS mode a pool uses unless told otherwise: TLS, with the server's certificate and host name checked. */
    public static final String DEFAULT_SSL_MODE = JdbcUrls.VERIFIED_TLS;

    /** pgjdbc's TLS mode property. */
    static final String SSL_MODE_PROPERTY = JdbcUrls.SSL_MODE;

    /** The driver property that {@link #socketTimeout()} sets. */
    static final String SOCKET_TIMEOUT_PROPERTY = "socketTimeout";

    private final String jdbcUrl;
    private final String username;
    private final String password;
    private final int maximumPoolSize;
    private final int minimumIdle;
    private final Duration connectionTimeout;
    private final Duration validationTimeout;
    private final Duration idleTimeout;
    private final Duration maxLifetime;
    private final Duration socketTimeout;
    private final Map<String, String> dataSourceProperties;
    private final Consumer<HikariConfig> customizer;
    private final boolean allowPlaintext;

    private RegionPoolConfig(Builder b) {
        this.jdbcUrl = b.jdbcUrl;
        this.username = b.username;
        this.password = b.password;
        this.maximumPoolSize = b.maximumPoolSize;
        this.minimumIdle = b.minimumIdle < 0 ? b.maximumPoolSize : b.minimumIdle;
        this.connectionTimeout = b.connectionTimeout;
        this.validationTimeout = b.validationTimeout;
        this.idleTimeout = b.idleTimeout;
        this.maxLifetime = b.maxLifetime;
        this.socketTimeout = b.socketTimeout;
        this.dataSourceProperties = Collections.unmodifiableMap(new LinkedHashMap<>(b.dataSourceProperties));
        this.customizer = b.customizer;
        this.allowPlaintext = b.allowPlaintext;
    }

    /** Returns a builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder initialised with this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.jdbcUrl = jdbcUrl;
        b.username = username;
        b.password = password;
        b.maximumPoolSize = maximumPoolSize;
        b.minimumIdle = minimumIdle;
        b.connectionTimeout = connectionTimeout;
        b.validationTimeout = validationTimeout;
        b.idleTimeout = idleTimeout;
        b.maxLifetime = maxLifetime;
        b.socketTimeout = socketTimeout;
        b.dataSourceProperties.putAll(dataSourceProperties);
        b.customizer = customizer;
        b.allowPlaintext = allowPlaintext;
        return b;
    }

    /** Whether connections may run without verified TLS; see {@link Builder#allowPlaintext(boolean)}. */
    public boolean allowPlaintext() {
        return allowPlaintext;
    }

    /**
     * The {@code sslmode} the pool asks of the driver: the one the URL or a driver property names,
     * else {@value #DEFAULT_SSL_MODE}, or none (the driver's {@code prefer}) once plaintext is allowed.
     *
     * @return the explicit or default mode, or null for the driver's default
     */
    public String sslMode() {
        String explicit = explicitSslMode();
        if (explicit != null) {
            return explicit;
        }
        return allowPlaintext ? null : DEFAULT_SSL_MODE;
    }

    /** Whether connections are made without TLS verified against the host name, by explicit choice. */
    public boolean weakerThanVerifiedTls() {
        String mode = sslMode();
        return mode == null || !mode.equals(DEFAULT_SSL_MODE);
    }

    private String explicitSslMode() {
        String fromProperty = dataSourceProperties.get(SSL_MODE_PROPERTY);
        if (fromProperty != null) {
            return fromProperty;
        }
        return JdbcUrls.parameter(jdbcUrl, SSL_MODE_PROPERTY);
    }

    /** The JDBC URL, unmasked; never log it, use {@link #toString()}. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** The user name, or null to let the driver decide. */
    public String username() {
        return username;
    }

    /** The password, or null; never log it. */
    public String password() {
        return password;
    }

    /** The largest number of connections the pool holds. */
    public int maximumPoolSize() {
        return maximumPoolSize;
    }

    /** The number of idle connections the pool keeps; defaults to {@link #maximumPoolSize()}. */
    public int minimumIdle() {
        return minimumIdle;
    }

    /** How long {@code getConnection()} waits for a connection from the pool. */
    public Duration connectionTimeout() {
        return connectionTimeout;
    }

    /** How long the pool waits for a connection to be validated. */
    public Duration validationTimeout() {
        return validationTimeout;
    }

    /** How long a connection may sit idle above {@link #minimumIdle()}. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** The longest life of a connection in the pool. */
    public Duration maxLifetime() {
        return maxLifetime;
    }

    /**
     * How long a statement may wait for the database before the driver gives up on the connection
     * (pgjdbc's {@code socketTimeout}); default {@link #DEFAULT_SOCKET_TIMEOUT}.
     */
    public Duration socketTimeout() {
        return socketTimeout;
    }

    /** Extra driver properties, such as {@code sslmode}; values may be secrets, never log them. */
    public Map<String, String> dataSourceProperties() {
        return dataSourceProperties;
    }

    /** The customizer applied to the {@link HikariConfig} before region-router's own settings. */
    public Consumer<HikariConfig> customizer() {
        return customizer;
    }

    @Override
    public String toString() {
        StringBuilder props = new StringBuilder("{");
        dataSourceProperties.forEach((k, v) -> {
            if (props.length() > 1) {
                props.append(", ");
            }
            props.append(k).append('=').append(Secrets.isSecretKey(k) ? Secrets.MASK : v);
        });
        props.append('}');
        return "RegionPoolConfig[jdbcUrl=" + Secrets.maskUrl(jdbcUrl)
                + ", username=" + username
                + ", password=" + (password == null ? "null" : Secrets.MASK)
                + ", maximumPoolSize=" + maximumPoolSize
                + ", minimumIdle=" + minimumIdle
                + ", connectionTimeout=" + connectionTimeout
                + ", validationTimeout=" + validationTimeout
                + ", idleTimeout=" + idleTimeout
                + ", maxLifetime=" + maxLifetime
                + ", socketTimeout=" + socketTimeout + ", sslmode=" + (sslMode() == null ? "driver default" : sslMode())
                + ", dataSourceProperties=" + props + "]";
    }

    /** Builder of {@link RegionPoolConfig}; each setter checks its argument, {@link #build()} the combination. */
    public static final class Builder {
        private String jdbcUrl;
        private String username;
        private String password;
        private int maximumPoolSize = DEFAULT_MAXIMUM_POOL_SIZE;
        private int minimumIdle = -1;
        private Duration connectionTimeout = DEFAULT_CONNECTION_TIMEOUT;
        private Duration validationTimeout = DEFAULT_VALIDATION_TIMEOUT;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private Duration maxLifetime = DEFAULT_MAX_LIFETIME;
        private Duration socketTimeout = DEFAULT_SOCKET_TIMEOUT;
        private boolean allowPlaintext;
        private final Map<String, String> dataSourceProperties = new LinkedHashMap<>();
        private Consumer<HikariConfig> customizer = config -> { };

        private Builder() {
        }

        /**
         * Sets the JDBC URL of the region's database, such as
         * {@code jdbc:postgresql://db.eu.internal:5432/app}. Required.
         *
         * @param jdbcUrl the URL; must start with {@code jdbc:}
         * @return this builder
         */
        public Builder jdbcUrl(String jdbcUrl) {
            if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:")) {
                throw new InvalidConfigurationException("pool.jdbcUrl", Secrets.maskUrl(jdbcUrl),
                        "pool.jdbcUrl must start with \"jdbc:\", but was "
                                + (jdbcUrl == null ? "null" : "\"" + Secrets.maskUrl(jdbcUrl) + "\""));
            }
            if (hasUrlParameter(jdbcUrl, SOCKET_TIMEOUT_PROPERTY)) {
                // the driver lets URL parameters win over properties, so it would silently replace pool.socketTimeout
                throw new InvalidConfigurationException("pool.jdbcUrl", Secrets.maskUrl(jdbcUrl),
                        "pool.jdbcUrl must not set socketTimeout, which would override pool.socketTimeout; use"
                                + " RegionPoolConfig.Builder.socketTimeout(Duration), but was \""
                                + Secrets.maskUrl(jdbcUrl) + "\"");
            }
            this.jdbcUrl = jdbcUrl;
            return this;
        }

        /**
         * Sets the user name. Use a role that neither owns the regional tables nor is a superuser,
         * otherwise row-level security does not apply to it.
         *
         * @param username the user name
         * @return this builder
         */
        public Builder username(String username) {
            if (username == null || username.isBlank()) {
                throw new InvalidConfigurationException("pool.username", username,
                        "pool.username must not be blank, but was " + (username == null ? "null" : "\"" + username + "\""));
            }
            this.username = username;
            return this;
        }

        /**
         * Sets the password. It is masked in {@link #toString()} and never logged.
         *
         * @param password the password
         * @return this builder
         */
        public Builder password(String password) {
            this.password = Objects.requireNonNull(password, "pool.password must not be null");
            return this;
        }

        /**
         * Sets the largest number of connections. Default {@value #DEFAULT_MAXIMUM_POOL_SIZE}.
         *
         * @param maximumPoolSize at least 1
         * @return this builder
         */
        public Builder maximumPoolSize(int maximumPoolSize) {
            Bounds.count("pool.maximumPoolSize", maximumPoolSize, 1, MAX_POOL_SIZE);
            this.maximumPoolSize = maximumPoolSize;
            return this;
        }

        /**
         * Sets the number of idle connections kept. Default: equal to {@code maximumPoolSize}.
         *
         * @param minimumIdle at least 0, at most {@code maximumPoolSize} (checked by {@link #build()})
         * @return this builder
         */
        public Builder minimumIdle(int minimumIdle) {
            Bounds.count("pool.minimumIdle", minimumIdle, 0, MAX_POOL_SIZE);
            this.minimumIdle = minimumIdle;
            return this;
        }

        /**
         * Sets how long {@code getConnection()} waits. Default 2 s.
         *
         * @param connectionTimeout at least 250 ms
         * @return this builder
         */
        public Builder connectionTimeout(Duration connectionTimeout) {
            this.connectionTimeout = Bounds.duration("pool.connectionTimeout", connectionTimeout, MIN_TIMEOUT, Duration.ofMinutes(10));
            return this;
        }

        /**
         * Sets how long a connection check may take. Default 1 s.
         *
         * @param validationTimeout at least 250 ms, at most {@code connectionTimeout} (checked by {@link #build()})
         * @return this builder
         */
        public Builder validationTimeout(Duration validationTimeout) {
            this.validationTimeout = Bounds.duration("pool.validationTimeout", validationTimeout, MIN_TIMEOUT, Duration.ofMinutes(1));
            return this;
        }

        /**
         * Sets how long an idle connection above {@code minimumIdle} is kept. Default 10 min.
         *
         * @param idleTimeout zero (never retire idle connections) or at least 10 s
         * @return this builder
         */
        public Builder idleTimeout(Duration idleTimeout) {
            Objects.requireNonNull(idleTimeout, "pool.idleTimeout must not be null");
            if (!idleTimeout.isZero()) {
                Bounds.duration("pool.idleTimeout", idleTimeout, Duration.ofSeconds(10), Duration.ofHours(24));
            }
            this.idleTimeout = idleTimeout;
            return this;
        }

        /**
         * Sets the longest life of a connection. Default 30 min.
         *
         * @param maxLifetime zero (no limit) or at least 30 s
         * @return this builder
         */
        public Builder maxLifetime(Duration maxLifetime) {
            Objects.requireNonNull(maxLifetime, "pool.maxLifetime must not be null");
            if (!maxLifetime.isZero()) {
                Bounds.duration("pool.maxLifetime", maxLifetime, Duration.ofSeconds(30), Duration.ofDays(7));
            }
            this.maxLifetime = maxLifetime;
            return this;
        }

        /**
         * Sets how long a statement may wait for the database, as pgjdbc's {@code socketTimeout}:
         * once it runs out, the driver closes the connection and the statement fails (a write then
         * with {@link OutcomeUnknownSQLException}). Default 30 s. It bounds every call on the
         * pool's connections, so it cannot be turned off; raise it for long statements.
         *
         * @param socketTimeout whole seconds, from 1 s to 24 h
         * @return this builder
         */
        public Builder socketTimeout(Duration socketTimeout) {
            atLeast("pool.socketTimeout", socketTimeout, MIN_SOCKET_TIMEOUT);
            if (socketTimeout.compareTo(MAX_SOCKET_TIMEOUT) > 0) {
                throw new InvalidConfigurationException("pool.socketTimeout", socketTimeout,
                        "pool.socketTimeout must be <= " + MAX_SOCKET_TIMEOUT.toHours() + " h, but was "
                                + socketTimeout.toSeconds() + " s");
            }
            if (socketTimeout.toMillis() % 1000 != 0) {
                throw new InvalidConfigurationException("pool.socketTimeout", socketTimeout,
                        "pool.socketTimeout must be a whole number of seconds (the driver counts in seconds), but was "
                                + socketTimeout.toMillis() + " ms");
            }
            this.socketTimeout = socketTimeout;
            return this;
        }

        /**
         * Adds a driver property, such as {@code sslmode=verify-full}. {@code socketTimeout} is set
         * with {@link #socketTimeout(Duration)} instead.
         *
         * @param name the property name
         * @param value the value; properties whose name mentions a password or key are masked
         * @return this builder
         */
        public Builder dataSourceProperty(String name, String value) {
            if (name == null || name.isBlank()) {
                throw new InvalidConfigurationException("pool.dataSourceProperty.name", name,
                        "pool.dataSourceProperty.name must not be blank, but was " + (name == null ? "null" : "\"" + name + "\""));
            }
            if (SOCKET_TIMEOUT_PROPERTY.equals(name)) {
                throw new InvalidConfigurationException("pool.dataSourceProperty.socketTimeout", value,
                        "pool.dataSourceProperty.socketTimeout must not be set; use"
                                + " RegionPoolConfig.Builder.socketTimeout(Duration), but was " + value);
            }
            Objects.requireNonNull(value, () -> "pool.dataSourceProperty." + name + " must not be null");
            dataSourceProperties.put(name, value);
            return this;
        }

        /**
         * Sets a hook that may adjust the {@link HikariConfig} (metrics, leak detection, ...). It runs
         * first; region-router then sets the pool name, the URL, the credentials, the sizes, the
         * timeouts and the connection-init SQL, which the hook cannot override.
         *
         * @param customizer the hook
         * @return this builder
         */
        public Builder customizer(Consumer<HikariConfig> customizer) {
            this.customizer = Objects.requireNonNull(customizer, "pool.customizer must not be null");
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @return the immutable configuration
         * @throws InvalidConfigurationException if {@code jdbcUrl} is missing or fields contradict each other
         */
        public RegionPoolConfig build() {
            if (jdbcUrl == null) {
                throw new InvalidConfigurationException("pool.jdbcUrl", null, "pool.jdbcUrl must be set, but was null");
            }
            if (minimumIdle > maximumPoolSize) {
                throw new InvalidConfigurationException("pool.minimumIdle", minimumIdle,
                        "pool.minimumIdle must be <= pool.maximumPoolSize (" + maximumPoolSize + "), but was " + minimumIdle);
            }
            if (validationTimeout.compareTo(connectionTimeout) > 0) {
                throw new InvalidConfigurationException("pool.validationTimeout", validationTimeout,
                        "pool.validationTimeout must be <= pool.connectionTimeout (" + connectionTimeout + "), but was "
                                + validationTimeout);
            }
            return new RegionPoolConfig(this);
        }

        private static boolean hasUrlParameter(String url, String name) {
            return JdbcUrls.parameter(url, name) != null;
        }

        /**
         * Lets the pool connect without TLS verified against the host name. By default a pool asks
         * the driver for {@code sslmode=verify-full} unless the URL or a driver property names
         * another mode, so a database reachable only in plaintext fails at startup instead of
         * carrying passwords and personal data in the clear. With this set and no mode named, the
         * driver's own default applies ({@code prefer}: TLS if the server offers it, unverified).
         * Either way, a pool that does not require verified TLS is logged at WARN with its masked
         * URL when it starts. Meant for local development and tests. Default false.
         *
         * @param allow whether plaintext or unverified TLS is acceptable
         * @return this builder
         */
        public Builder allowPlaintext(boolean allow) {
            this.allowPlaintext = allow;
            return this;
        }

        private static Duration atLeast(String field, Duration value, Duration min) {
            if (value == null || value.compareTo(min) < 0) {
                throw new InvalidConfigurationException(field, value,
                        field + " must be >= " + min.toMillis() + " ms, but was " + (value == null ? "null" : value.toMillis() + " ms"));
            }
            return value;
        }
    }
}
