package io.regionrouter.jdbc.replication;

import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.jdbc.replication.internal.ConnInfo;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How region-router reaches one region's database for replication:
 *
 * <ul>
 *   <li>{@link #admin()}: a data source for administration (DDL, catalog reads, monitoring). Its role
 *       must be able to create publications and subscriptions: a superuser, or the owner of the
 *       tables with {@code pg_create_subscription} (PostgreSQL 16+). It is not the application's pool.</li>
 *   <li>The connection parameters that <em>other</em> regions' subscriptions use to reach this region
 *       when it publishes: host, port, database, user, password and extra libpq parameters such as
 *       {@code sslmode}. PostgreSQL stores them in {@code pg_subscription.subconninfo} on the
 *       subscriber; the user needs the {@code REPLICATION} attribute (or superuser) and
 *       {@code SELECT} on the published tables.</li>
 * </ul>
 *
 * <p>Subscriptions carry the replicator's password and every replicated row across regions, so the
 * connection string asks libpq for {@code sslmode=verify-full} unless a {@code sslmode} parameter is
 * given or {@link Builder#allowPlaintext(boolean)} is set. With {@code verify-full}, the subscriber's
 * server must trust the publisher's certificate authority: give it with
 * {@code parameter("sslrootcert", path)}. An endpoint without verified TLS is logged at WARN, with
 * its masked connection string, when it is built.
 *
 * <p>{@link #toString()} masks the password. Immutable and thread-safe.
 */
public final class ReplicationEndpoint {

    /** Default port: {@value}. */
    public static final int DEFAULT_PORT = 5432;
    /** Default database: {@value}. */
    public static final String DEFAULT_DATABASE = "postgres";

    private static final Logger LOG = LoggerFactory.getLogger(ReplicationEndpoint.class);
    private static final String SSL_MODE = "sslmode";
    private static final String VERIFIED_TLS = "verify-full";
    private static final Pattern PARAM_NAME = Pattern.compile("[a-z_][a-z0-9_]*");

    private final DataSource admin;
    private final String host;
    private final int port;
    private final String database;
    private final String user;
    private final String password;
    private final Map<String, String> parameters;
    private final boolean plaintextAllowed;

    private ReplicationEndpoint(Builder b) {
        this.admin = b.admin;
        this.host = b.host;
        this.port = b.port;
        this.database = b.database;
        this.user = b.user;
        this.password = b.password;
        this.plaintextAllowed = b.plaintextAllowed;
        Map<String, String> params = new LinkedHashMap<>(b.parameters);
        if (!plaintextAllowed) {
            params.putIfAbsent(SSL_MODE, VERIFIED_TLS);
        }
        this.parameters = Collections.unmodifiableMap(params);
    }

    /** Returns a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The administration data source of the region. */
    public DataSource admin() {
        return admin;
    }

    /** The host subscribers connect to. */
    public String host() {
        return host;
    }

    /** The port subscribers connect to. */
    public int port() {
        return port;
    }

    /** The database name. */
    public String database() {
        return database;
    }

    /** The user subscribers log in as. */
    public String user() {
        return user;
    }

    /**
     * Extra libpq connection parameters, such as {@code sslmode}; includes the default
     * {@code sslmode=verify-full} unless plaintext is allowed.
     */
    public Map<String, String> parameters() {
        return parameters;
    }

    /** Whether subscriptions may connect without verified TLS; see {@link Builder#allowPlaintext(boolean)}. */
    public boolean plaintextAllowed() {
        return plaintextAllowed;
    }

    /** Whether subscriptions connect without TLS verified against the host name. */
    public boolean weakerThanVerifiedTls() {
        return !VERIFIED_TLS.equals(parameters.get(SSL_MODE));
    }

    /**
     * The libpq connection string for {@code CREATE SUBSCRIPTION ... CONNECTION}. It contains the
     * password: never log it.
     *
     * @return the connection string
     */
    public String conninfo() {
        return ConnInfo.format(host, port, database, user, password, parameters, false);
    }

    /** The connection string with the password masked, for messages. */
    public String maskedConninfo() {
        return ConnInfo.format(host, port, database, user, password, parameters, true);
    }

    @Override
    public String toString() {
        return "ReplicationEndpoint[" + maskedConninfo() + "]";
    }

    /** Builder of {@link ReplicationEndpoint}. */
    public static final class Builder {
        private DataSource admin;
        private String host;
        private int port = DEFAULT_PORT;
        private String database = DEFAULT_DATABASE;
        private String user;
        private String password;
        private final Map<String, String> parameters = new LinkedHashMap<>();
        private boolean plaintextAllowed;

        private Builder() {
        }

        /**
         * Lets subscriptions connect without TLS verified against the host name when no
         * {@code sslmode} parameter is given: libpq's own default ({@code prefer}) then applies.
         * Meant for local development and tests; the endpoint is still logged at WARN. Default false.
         *
         * @param allow whether plaintext or unverified TLS is acceptable
         * @return this builder
         */
        public Builder allowPlaintext(boolean allow) {
            this.plaintextAllowed = allow;
            return this;
        }

        /**
         * Sets the administration data source. Required.
         *
         * @param admin a data source whose role may create publications and subscriptions
         * @return this builder
         */
        public Builder admin(DataSource admin) {
            this.admin = Objects.requireNonNull(admin, "endpoint.admin must not be null");
            return this;
        }

        /**
         * Sets the host that subscribers connect to. Required.
         *
         * @param host a host name or address, as seen from the other regions' database servers
         * @return this builder
         */
        public Builder host(String host) {
            if (host == null || host.isBlank()) {
                throw new InvalidConfigurationException("endpoint.host", host, "endpoint.host must not be blank, but was "
                        + (host == null ? "null" : "\"" + host + "\""));
            }
            this.host = host;
            return this;
        }

        /**
         * Sets the port. Default {@value #DEFAULT_PORT}.
         *
         * @param port 1..65535
         * @return this builder
         */
        public Builder port(int port) {
            if (port < 1 || port > 65535) {
                throw new InvalidConfigurationException("endpoint.port", port, "endpoint.port must be in 1..65535, but was " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Sets the database name. Default {@value #DEFAULT_DATABASE}.
         *
         * @param database the database
         * @return this builder
         */
        public Builder database(String database) {
            if (database == null || database.isBlank()) {
                throw new InvalidConfigurationException("endpoint.database", database, "endpoint.database must not be blank, but was "
                        + (database == null ? "null" : "\"" + database + "\""));
            }
            this.database = database;
            return this;
        }

        /**
         * Sets the user that subscriptions log in as. Required.
         *
         * @param user a role with REPLICATION (or superuser) and SELECT on the published tables
         * @return this builder
         */
        public Builder user(String user) {
            if (user == null || user.isBlank()) {
                throw new InvalidConfigurationException("endpoint.user", user, "endpoint.user must not be blank, but was "
                        + (user == null ? "null" : "\"" + user + "\""));
            }
            this.user = user;
            return this;
        }

        /**
         * Sets the password. Masked in {@link #toString()} and never logged.
         *
         * @param password the password
         * @return this builder
         */
        public Builder password(String password) {
            this.password = Objects.requireNonNull(password, "endpoint.password must not be null");
            return this;
        }

        /**
         * Adds a libpq connection parameter, such as {@code sslmode=verify-full}.
         *
         * @param name the parameter name, lower case
         * @param value the value
         * @return this builder
         */
        public Builder parameter(String name, String value) {
            if (name == null || !PARAM_NAME.matcher(name).matches()) {
                throw new InvalidConfigurationException("endpoint.parameter.name", name,
                        "endpoint.parameter.name must match [a-z_][a-z0-9_]*, but was " + (name == null ? "null" : "\"" + name + "\""));
            }
            if (ConnInfo.RESERVED.contains(name)) {
                throw new InvalidConfigurationException("endpoint.parameter.name", name,
                        "endpoint.parameter.name must not be one of " + ConnInfo.RESERVED + " (use the builder's setters), but was " + name);
            }
            Objects.requireNonNull(value, () -> "endpoint.parameter." + name + " must not be null");
            parameters.put(name, value);
            return this;
        }

        /**
         * Builds the endpoint.
         *
         * @return the endpoint
         * @throws InvalidConfigurationException if admin, host or user is missing
         */
        public ReplicationEndpoint build() {
            if (admin == null) {
                throw new InvalidConfigurationException("endpoint.admin", null, "endpoint.admin must be set, but was null");
            }
            if (host == null) {
                throw new InvalidConfigurationException("endpoint.host", null, "endpoint.host must be set, but was null");
            }
            if (user == null) {
                throw new InvalidConfigurationException("endpoint.user", null, "endpoint.user must be set, but was null");
            }
            ReplicationEndpoint endpoint = new ReplicationEndpoint(this);
            if (endpoint.weakerThanVerifiedTls()) {
                LOG.warn("replication endpoint {} does not require TLS verified against the host name (sslmode={});"
                        + " the replicator's password and replicated rows may cross the network readable", endpoint.maskedConninfo(),
                        endpoint.parameters.getOrDefault(SSL_MODE, "libpq default: prefer"));
            }
            return endpoint;
        }
    }
}
