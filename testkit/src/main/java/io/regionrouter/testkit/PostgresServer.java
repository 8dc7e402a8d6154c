package io.regionrouter.testkit;

import javax.sql.DataSource;

/**
 * A real PostgreSQL 17 server of one region, behind its proxy.
 *
 * <p>Defaults: {@code wal_level=logical}, {@code max_wal_senders=10},
 * {@code max_replication_slots=10}, {@code hot_standby=on}, {@code hot_standby_feedback=on},
 * {@code track_commit_timestamp=on}, listening on 127.0.0.1 only, no Unix socket. Clients
 * authenticate with SCRAM passwords over TCP. Two roles exist:
 * <ul>
 *   <li>the superuser {@link #superUser()} ({@code postgres});</li>
 *   <li>the application role {@link #appUser()} ({@code app}): {@code LOGIN}, not a superuser,
 *       owns nothing, so row-level security applies to it. Default privileges give it
 *       {@code SELECT, INSERT, UPDATE, DELETE} on tables, and {@code USAGE, SELECT} on
 *       sequences, that the superuser creates in schema {@code public}.</li>
 * </ul>
 *
 * <p>{@link #kill()} is a PostgreSQL fast shutdown: sessions are terminated and the server stops;
 * the data directory is kept, so {@link #restart()} brings back every committed row.
 *
 * <p>Passwords are generated per run and never appear in {@code toString()}.
 */
public interface PostgresServer extends ProxiedServer {

    /** The database every server has and {@link #jdbcUrl()} names. */
    String DATABASE = "postgres";

    /** Returns {@code jdbc:postgresql://127.0.0.1:<proxyPort>/postgres}, without credentials. */
    String jdbcUrl();

    /** Returns the application role's name. */
    String appUser();

    /** Returns the application role's password. */
    String appPassword();

    /** Returns the superuser's name. */
    String superUser();

    /** Returns the superuser's password. */
    String superPassword();

    /** Returns a new, unpooled data source through the proxy that logs in as the superuser. */
    DataSource superuserDataSource();

    /** Returns a new, unpooled data source through the proxy that logs in as the application role. */
    DataSource appDataSource();

    /** Returns {@code true} if this server was created by {@link #createStandby()} and not promoted since. */
    boolean isStandby();

    /**
     * Creates a streaming physical standby of this server in the same region, behind its own proxy.
     * Same as {@code createStandby(region())}.
     *
     * @return the running standby
     * @see #createStandby(String)
     */
    PostgresServer createStandby();

    /**
     * Creates a streaming physical standby of this server, behind its own proxy, and places it in
     * {@code region}: that region's fault controls, {@link LocalRegions#viewFrom(String)} and
     * {@link LocalRegion#postgresStandbys()} include it.
     *
     * <p>The standby is cloned without {@code pg_basebackup} (a physical slot, a non-exclusive
     * backup and a copy of the data directory) and streams through the primary's direct port, so
     * partitioning or refusing the primary's proxy does not stop replication; killing the primary
     * does. It is read-only until promoted with {@code SELECT pg_promote()}. It is stopped and
     * deleted with the rest of the run.
     *
     * @param region the name of a region of the same {@link LocalRegions}
     * @return the running standby, ready for read-only queries
     * @throws IllegalArgumentException if {@code region} is unknown
     * @throws IllegalStateException if this server is not running
     */
    PostgresServer createStandby(String region);
}
