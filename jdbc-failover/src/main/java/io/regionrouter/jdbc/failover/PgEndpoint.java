package io.regionrouter.jdbc.failover;

import io.regionrouter.core.Region;
import io.regionrouter.core.support.JdbcUrls;
import io.regionrouter.core.support.Secrets;
import java.util.Objects;

/**
 * A PostgreSQL server that a failover works on, with the credentials of a role that may run
 * {@code pg_promote()}, read {@code pg_stat_replication} and, for fencing, {@code ALTER SYSTEM}
 * (usually a superuser). These administrative connections are separate from the application's pool.
 *
 * <p>Administrative connections carry a superuser's password, so they ask the driver for
 * {@code sslmode=verify-full} unless the URL names a mode ({@code ?sslmode=require}, say) or the
 * endpoint was made with {@link #allowingPlaintext()}. A server that offers no TLS then fails the
 * first administrative call instead of receiving the password in the clear. An endpoint without
 * verified TLS is logged at WARN, by name and masked URL, when its {@link FailoverGroup} is built.
 *
 * @param name a short name for events and logs, such as {@code us-standby-1}: 1..64 of [A-Za-z0-9_.-]
 * @param location the region the server runs in; checked against the residency rules
 * @param jdbcUrl the server's JDBC URL, without credentials
 * @param user the administrative role
 * @param password its password; never shown by {@link #toString()}
 * @param plaintextAllowed whether connections may run without verified TLS when the URL names no
 *     {@code sslmode}; see {@link #allowingPlaintext()}
 */
public record PgEndpoint(String name, Region location, String jdbcUrl, String user, String password, boolean plaintextAllowed) {

    /** Validates the fields. */
    public PgEndpoint {
        if (name == null || !name.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new IllegalArgumentException("endpoint.name must match [A-Za-z0-9_.-]{1,64}, but was "
                    + (name == null ? "null" : "\"" + name + "\""));
        }
        Objects.requireNonNull(location, () -> "endpoint " + name + ": location must not be null");
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("endpoint " + name + ": jdbcUrl must start with jdbc:postgresql:, but was "
                    + (jdbcUrl == null ? "null" : Secrets.maskUrl(jdbcUrl)));
        }
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("endpoint " + name + ": user must not be blank, but was "
                    + (user == null ? "null" : "\"" + user + "\""));
        }
        Objects.requireNonNull(password, () -> "endpoint " + name + ": password must not be null");
    }

    /**
     * An endpoint that requires verified TLS unless its URL names another {@code sslmode}.
     *
     * @param name a short name, 1..64 of [A-Za-z0-9_.-]
     * @param location the region the server runs in
     * @param jdbcUrl the server's JDBC URL, without credentials
     * @param user the administrative role
     * @param password its password
     */
    public PgEndpoint(String name, Region location, String jdbcUrl, String user, String password) {
        this(name, location, jdbcUrl, user, password, false);
    }

    /**
     * This endpoint, allowed to connect without verified TLS when its URL names no {@code sslmode}:
     * the driver's default ({@code prefer}: TLS when the server offers it, unverified) then applies.
     * Meant for local development and tests; the endpoint is still logged at WARN.
     *
     * @return a copy that allows plaintext
     */
    public PgEndpoint allowingPlaintext() {
        return new PgEndpoint(name, location, jdbcUrl, user, password, true);
    }

    /**
     * The {@code sslmode} administrative connections ask for: the URL's own, else
     * {@code verify-full}, or null (the driver's default) once plaintext is allowed.
     *
     * @return the mode, or null for the driver's default
     */
    public String sslMode() {
        String explicit = JdbcUrls.parameter(jdbcUrl, JdbcUrls.SSL_MODE);
        if (explicit != null) {
            return explicit;
        }
        return plaintextAllowed ? null : JdbcUrls.VERIFIED_TLS;
    }

    /** Whether administrative connections may run without TLS verified against the host name. */
    public boolean weakerThanVerifiedTls() {
        return !JdbcUrls.VERIFIED_TLS.equals(sslMode());
    }

    @Override
    public String toString() {
        return "PgEndpoint[" + name + " in " + location + ", " + Secrets.maskUrl(jdbcUrl) + ", user=" + user + ", password="
                + Secrets.MASK + ", sslmode=" + (sslMode() == null ? "driver default" : sslMode()) + "]";
    }
}
