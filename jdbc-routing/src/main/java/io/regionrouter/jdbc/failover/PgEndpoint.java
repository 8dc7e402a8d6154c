package io.regionrouter.jdbc.failover;

import io.regionrouter.core.Region;
import io.regionrouter.jdbc.internal.Secrets;
import java.util.Objects;

/**
 * A PostgreSQL server that a failover works on, with the credentials of a role that may run
 * {@code pg_promote()}, read {@code pg_stat_replication} and, for fencing, {@code ALTER SYSTEM}
 * (usually a superuser). These administrative connections are separate from the application's pool.
 *
 * @param name a short name for events and logs, such as {@code us-standby-1}: 1..64 of [A-Za-z0-9_.-]
 * @param location the region the server runs in; checked against the residency rules
 * @param jdbcUrl the server's JDBC URL, without credentials
 * @param user the administrative role
 * @param password its password; never shown by {@link #toString()}
 */
public record PgEndpoint(String name, Region location, String jdbcUrl, String user, String password) {

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

    @Override
    public String toString() {
        return "PgEndpoint[" + name + " in " + location + ", " + Secrets.maskUrl(jdbcUrl) + ", user=" + user + ", password="
                + Secrets.MASK + "]";
    }
}
