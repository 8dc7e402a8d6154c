package io.regionrouter.redis;

import io.lettuce.core.resource.ClientResources;
import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Region;
import io.regionrouter.core.Topology;
import io.regionrouter.core.UserDataMover;
import io.regionrouter.core.UserFrozenException;
import io.regionrouter.core.UserMovedAwayException;
import io.regionrouter.core.UserIds;
import io.regionrouter.redis.internal.ClusterRegionConnection;
import io.regionrouter.redis.internal.MoveScripts;
import io.regionrouter.redis.internal.ReconnectDelays;
import io.regionrouter.redis.internal.RegionConnection;
import io.regionrouter.redis.internal.StandaloneRegionConnection;
import io.regionrouter.redis.internal.TransportSecurity;
import io.regionrouter.redis.internal.UserKeys;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Moves a user's Redis keys from one region's Redis to another's, as one {@link UserDataMover} of a
 * user move (the JDBC module's {@code RegionMigration} drives it).
 *
 * <p><b>Which keys are the user's:</b> those whose hash tag is the user id, {@code {alice}:cart}
 * or {@code session:{alice}}: the text between the first <code>{</code> and the next
 * <code>}</code>, as Redis Cluster reads it, which also keeps a user's keys in one slot. Keys
 * under {@link RegionalRedisConfig#keyPrefix()} are never the user's. Values are moved with their
 * versions and expiries; a value {@link RegionalRedis} did not write is moved with
 * {@code DUMP}/{@code RESTORE}.
 *
 * <p><b>Fence in the store:</b> the freeze and the fence are a marker {@code rr:moved:{<user>}} in
 * the source region's Redis, in the user's slot. {@link RegionalRedis}'s write script reads it in the
 * same atomic script as the write, so once the marker is set no write of any instance lands there:
 * during the freeze a write fails with a {@link UserFrozenException} cause (retryable; the marker
 * expires by itself after the freeze's bound), after the flip with a {@link UserMovedAwayException}
 * cause. Commands sent around {@link RegionalRedis} (a raw {@code SET}) are not fenced.
 *
 * <p><b>Per-region delete:</b> {@link #purge} deletes the user's keys in one region's Redis and no
 * other, which {@link RegionalRedis#delete} (a replicated tombstone) cannot do.
 *
 * <p>Opens its own connection to each region; close it when the migrations are over. Thread-safe.
 */
public final class RedisUserMover implements UserDataMover, AutoCloseable {

    private final Map<Region, RegionConnection> connections;
    private final Map<Region, UserKeys> keys;
    private final ClientResources resources;

    private RedisUserMover(Builder b) {
        this.resources = ReconnectDelays.ownedResources(b.config.maxReconnectDelay());
        Map<Region, RegionConnection> conns = new LinkedHashMap<>();
        Map<Region, UserKeys> users = new LinkedHashMap<>();
        Duration timeout = b.config.commandTimeout().multipliedBy(4);
        for (Region r : b.topology.regions()) {
            RedisEndpoint endpoint = b.endpoints.get(r);
            RegionConnection c = endpoint.cluster() ? new ClusterRegionConnection(r, endpoint, b.config, resources)
                    : new StandaloneRegionConnection(r, endpoint, b.config, resources);
            conns.put(r, c);
            users.put(r, new UserKeys(c, b.config.keyPrefix(), timeout));
        }
        this.connections = Map.copyOf(conns);
        this.keys = Map.copyOf(users);
    }

    /**
     * Starts a builder.
     *
     * @param topology the regions; each needs an endpoint
     * @return a new builder
     */
    public static Builder builder(Topology topology) {
        return new Builder(Objects.requireNonNull(topology, "topology must not be null"));
    }

    /**
     * Whether a failure (or a cause of it) is a write refused by a user's freeze: retry it.
     *
     * @param failure a failure of a {@link RegionalRedis} write
     * @return true if a {@link UserFrozenException} is in its cause chain
     */
    public static boolean isFrozen(Throwable failure) {
        return UserFrozenException.isCauseOf(failure);
    }

    /**
     * Whether a failure (or a cause of it) is a write refused because the user moved away.
     *
     * @param failure a failure of a {@link RegionalRedis} write
     * @return true if a {@link UserMovedAwayException} is in its cause chain
     */
    public static boolean isMovedAway(Throwable failure) {
        return UserMovedAwayException.isCauseOf(failure);
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public long copy(String userId, Region source, Region target) {
        check(userId);
        TreeMap<String, UserKeys.Item> from = of(source).read(userId);
        TreeMap<String, UserKeys.Item> to = of(target).read(userId);
        return of(target).mirror(from, to, target);
    }

    @Override
    public Digest digest(String userId, Region region) {
        check(userId);
        String[] d = UserKeys.digest(of(region).read(userId));
        return new Digest(Long.parseLong(d[0]), d[1]);
    }

    @Override
    public void freeze(String userId, Region region, Duration bound) {
        check(userId);
        long ms = Math.max(1, bound.toMillis());
        if (of(region).marker(MoveScripts.FREEZE_SHA, MoveScripts.FREEZE, userId, Long.toString(ms)) != 1) {
            throw new IllegalStateException("user " + cut(userId) + " has a moved marker in " + region
                    + "'s Redis; they do not live there");
        }
    }

    @Override
    public long holdFreeze(String userId, Region region, Digest verified) {
        check(userId);
        long left = of(region).marker(MoveScripts.HOLD_SHA, MoveScripts.HOLD, userId);
        return left == -1 ? Long.MAX_VALUE : Math.max(0, left);
    }

    @Override
    public void unfreeze(String userId, Region region) {
        check(userId);
        of(region).marker(MoveScripts.UNFREEZE_SHA, MoveScripts.UNFREEZE, userId);
    }

    @Override
    public void fence(String userId, Region region, Region movedTo, long epoch) {
        check(userId);
        of(region).setMarker(userId, "M " + movedTo.id() + " " + epoch);
    }

    @Override
    public void clearFence(String userId, Region region) {
        check(userId);
        of(region).deleteMarker(userId);
    }

    @Override
    public long purge(String userId, Region region) {
        check(userId);
        return of(region).delete(userId);
    }

    /**
     * The user's move marker in a region: {@code F} while frozen, {@code M <region> <epoch>} after
     * moving away, or null.
     *
     * @param userId the user
     * @param region the region
     * @return the marker's value, or null
     */
    public String marker(String userId, Region region) {
        check(userId);
        return of(region).markerValue(userId);
    }

    private UserKeys of(Region region) {
        UserKeys k = keys.get(Objects.requireNonNull(region, "region must not be null"));
        if (k == null) {
            throw new IllegalArgumentException("region must be one of " + keys.keySet() + ", but was " + region);
        }
        return k;
    }

    private static void check(String userId) {
        UserIds.check("userId", userId);
        if (userId.indexOf('}') >= 0) {
            throw new IllegalArgumentException("userId must not contain '}' to be a Redis hash tag, but was \""
                    + cut(userId) + "\"");
        }
    }

    private static String cut(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }

    @Override
    public void close() {
        connections.values().forEach(c -> {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the Redis connection of " + c.region() + " failed", e);
            }
        });
        resources.shutdown();
    }

    @Override
    public String toString() {
        return "RedisUserMover" + connections.keySet();
    }

    /** Builder of {@link RedisUserMover}. Not thread-safe. */
    public static final class Builder {
        private final Topology topology;
        private final Map<Region, RedisEndpoint> endpoints = new LinkedHashMap<>();
        private RegionalRedisConfig config = RegionalRedisConfig.defaults();

        private Builder(Topology topology) {
            this.topology = topology;
        }

        /**
         * Sets a region's Redis endpoint.
         *
         * @param region a region of the topology
         * @param endpoint its Redis
         * @return this builder
         */
        public Builder region(Region region, RedisEndpoint endpoint) {
            Objects.requireNonNull(endpoint, "endpoint must not be null");
            endpoints.put(topology.region(Objects.requireNonNull(region, "region must not be null").id()), endpoint);
            return this;
        }

        /**
         * Sets the settings (timeouts, transport security, key prefix); the same as the application's.
         * Default {@link RegionalRedisConfig#defaults()}.
         *
         * @param config the settings
         * @return this builder
         */
        public Builder config(RegionalRedisConfig config) {
            this.config = Objects.requireNonNull(config, "config must not be null");
            return this;
        }

        /**
         * Connects to every region.
         *
         * @return the mover
         * @throws InvalidConfigurationException if a region has no endpoint, or one is plaintext while
         *     {@link RegionalRedisConfig#allowPlaintext()} is off
         */
        public RedisUserMover build() {
            for (Region r : topology.regions()) {
                if (!endpoints.containsKey(r)) {
                    throw new InvalidConfigurationException("redis.endpoints", r,
                            "redis.endpoints must cover every region of the topology, but lacks " + r);
                }
            }
            TransportSecurity.check(endpoints, config.allowPlaintext(), topology.local());
            return new RedisUserMover(this);
        }
    }
}
