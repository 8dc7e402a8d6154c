package io.regionrouter.jdbc.failover;

import io.regionrouter.core.Region;
import io.regionrouter.core.support.Secrets;
import io.regionrouter.jdbc.RegionPoolConfig;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What can fail over for one region: its primary, the streaming standby that takes over, the pool
 * settings the application uses on the standby once it is promoted, and the replication mode.
 * Immutable.
 *
 * <pre>{@code
 * FailoverGroup us = FailoverGroup.builder(Region.of("us"))
 *     .primary(new PgEndpoint("us-primary", us, primaryUrl, "postgres", adminPassword))
 *     .standby(new PgEndpoint("us-standby", us, standbyUrl, "postgres", adminPassword))
 *     .standbyPool(RegionPoolConfig.builder().jdbcUrl(standbyUrl).username("app").password(appPassword).build())
 *     .durability(Durability.SYNCHRONOUS)
 *     .build();
 * }</pre>
 */
public final class FailoverGroup {

    private static final Logger LOG = LoggerFactory.getLogger(FailoverGroup.class);

    /** Default replication mode: {@link Durability#ASYNCHRONOUS}, PostgreSQL's default. */
    public static final Durability DEFAULT_DURABILITY = Durability.ASYNCHRONOUS;

    private final Region region;
    private final PgEndpoint primary;
    private final PgEndpoint standby;
    private final RegionPoolConfig standbyPool;
    private final RegionPoolConfig primaryPool;
    private final List<PgEndpoint> replicas;
    private final Durability durability;

    private FailoverGroup(Builder b) {
        this.region = b.region;
        this.primary = b.primary;
        this.standby = b.standby;
        this.standbyPool = b.standbyPool;
        this.primaryPool = b.primaryPool;
        this.replicas = List.copyOf(b.replicas);
        this.durability = b.durability;
    }

    /**
     * Starts a builder.
     *
     * @param region the region whose primary this group protects
     * @return a new builder
     */
    public static Builder builder(Region region) {
        return new Builder(Objects.requireNonNull(region, "failover.region must not be null"));
    }

    /** Returns a builder holding this group's settings. */
    public Builder toBuilder() {
        return new Builder(region).primary(primary).standby(standby).standbyPool(standbyPool).durability(durability).primaryPool(primaryPool).replicas(replicas);
    }

    /** The region whose data the primary holds. */
    public Region region() {
        return region;
    }

    /** The primary, watched and fenced through administrative connections. */
    public PgEndpoint primary() {
        return primary;
    }

    /** The standby that is promoted. */
    public PgEndpoint standby() {
        return standby;
    }

    /** The application's pool settings for the standby once promoted (credentials, size, timeouts). */
    public RegionPoolConfig standbyPool() {
        return standbyPool;
    }

    /**
     * The application's pool settings for the primary, when given; otherwise the region's own
     * settings in {@code RegionalDataSources} are used. Null when not given.
     */
    public RegionPoolConfig primaryPool() {
        return primaryPool;
    }

    /**
     * The region's read replicas (streaming standbys configured with {@code RegionalDataSources.Builder.replica},
     * under the same names), watched through these administrative endpoints: a replica that does not
     * follow the current primary is not read.
     */
    public List<PgEndpoint> replicas() {
        return replicas;
    }

    /** The servers of the group that may be its primary: the primary, then the standby. */
    public List<PgEndpoint> members() {
        return List.of(primary, standby);
    }

    /**
     * The application's pool settings for a server of the group.
     *
     * @param name a server's name
     * @return its settings, or null when the group has none for it
     */
    public RegionPoolConfig poolOf(String name) {
        if (standby.name().equals(name)) {
            return standbyPool;
        }
        return primary.name().equals(name) ? primaryPool : null;
    }

    /** The replication mode. */
    public Durability durability() {
        return durability;
    }

    @Override
    public String toString() {
        return "FailoverGroup[" + region + ": " + primary.name() + " -> " + standby.name() + " in " + standby.location() + ", "
                + durability + "]";
    }

    /** Builder of {@link FailoverGroup}. Not thread-safe. */
    public static final class Builder {
        private final Region region;
        private PgEndpoint primary;
        private PgEndpoint standby;
        private RegionPoolConfig standbyPool;
        private RegionPoolConfig primaryPool;
        private final List<PgEndpoint> replicas = new java.util.ArrayList<>();
        private Durability durability = DEFAULT_DURABILITY;

        private Builder(Region region) {
            this.region = region;
        }

        /** Sets the primary. Required. */
        public Builder primary(PgEndpoint primary) {
            this.primary = Objects.requireNonNull(primary, () -> "failover." + region + ".primary must not be null");
            return this;
        }

        /** Sets the standby. Required. */
        public Builder standby(PgEndpoint standby) {
            this.standby = Objects.requireNonNull(standby, () -> "failover." + region + ".standby must not be null");
            return this;
        }

        /** Sets the application's pool settings for the promoted standby. Required. */
        public Builder standbyPool(RegionPoolConfig standbyPool) {
            this.standbyPool = Objects.requireNonNull(standbyPool, () -> "failover." + region + ".standbyPool must not be null");
            return this;
        }

        /**
         * Sets the application's pool settings for the primary, for when the region must point at it
         * again (after refusing its connections, or once it was rebuilt as a standby and promoted
         * again). Optional; default: the settings the region was configured with in
         * {@code RegionalDataSources}.
         */
        public Builder primaryPool(RegionPoolConfig primaryPool) {
            this.primaryPool = primaryPool;
            return this;
        }

        /**
         * Adds a read replica of the region, by the administrative endpoint of the server and under
         * the name it has in {@code RegionalDataSources}. After a promotion it is not read until it
         * follows the new primary (same timeline and epoch).
         */
        public Builder replica(PgEndpoint replica) {
            replicas.add(Objects.requireNonNull(replica, () -> "failover." + region + ".replica must not be null"));
            return this;
        }

        private Builder replicas(List<PgEndpoint> all) {
            replicas.clear();
            replicas.addAll(all);
            return this;
        }

        /** Sets the replication mode. Default {@link #DEFAULT_DURABILITY}. */
        public Builder durability(Durability durability) {
            this.durability = Objects.requireNonNull(durability, () -> "failover." + region + ".durability must not be null");
            return this;
        }

        /**
         * Builds the group.
         *
         * @return the group
         * @throws IllegalStateException if a required setting is missing or primary and standby are the same server
         */
        public FailoverGroup build() {
            String prefix = "failover." + region + ".";
            if (primary == null) {
                throw new IllegalStateException(prefix + "primary must be set, but was not");
            }
            if (standby == null) {
                throw new IllegalStateException(prefix + "standby must be set, but was not");
            }
            if (standbyPool == null) {
                throw new IllegalStateException(prefix + "standbyPool must be set, but was not");
            }
            if (primary.jdbcUrl().equals(standby.jdbcUrl())) {
                throw new IllegalStateException(prefix + "standby must be another server than the primary, but both are "
                        + primary.toString());
            }
            if (primary.name().equals(standby.name())) {
                throw new IllegalStateException(prefix + "standby.name must differ from primary.name, but both are " + primary.name());
            }
            java.util.Set<String> names = new java.util.HashSet<>(List.of(primary.name(), standby.name()));
            for (PgEndpoint r : replicas) {
                if (!names.add(r.name())) {
                    throw new IllegalStateException(prefix + "replica.name must differ from every other server's name, but "
                            + r.name() + " is used twice");
                }
            }
            warnWithoutVerifiedTls(primary);
            warnWithoutVerifiedTls(standby);
            replicas.forEach(this::warnWithoutVerifiedTls);
            return new FailoverGroup(this);
        }

        private void warnWithoutVerifiedTls(PgEndpoint endpoint) {
            if (endpoint.weakerThanVerifiedTls()) {
                LOG.warn("failover {}: administrative connections to {} ({}) do not require TLS verified against the host name"
                        + " (sslmode={}); a superuser's password may cross the network readable", region, endpoint.name(),
                        Secrets.maskUrl(endpoint.jdbcUrl()), endpoint.sslMode() == null ? "driver default: prefer" : endpoint.sslMode());
            }
        }
    }
}
