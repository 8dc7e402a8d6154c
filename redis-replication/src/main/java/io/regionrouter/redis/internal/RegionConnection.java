package io.regionrouter.redis.internal;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.regionrouter.core.Region;

/**
 * The connection to one region's Redis. The replication logic only uses the command set common to
 * a standalone server and a Redis Cluster ({@link RedisClusterAsyncCommands}); every key it touches
 * is a single key (or hash-tagged pair), so a region backed by {@code RedisClusterClient} can be
 * added as another implementation. Implementations are thread-safe.
 */
public interface RegionConnection extends AutoCloseable {

    /** Returns the region. */
    Region region();

    /**
     * Returns the asynchronous commands of the region's multiplexed connection.
     *
     * @throws io.lettuce.core.RedisConnectionException if there is no connection right now (a
     *     reconnect is then started in the background)
     */
    RedisClusterAsyncCommands<byte[], byte[]> async();

    /** Closes the connection; idempotent. */
    @Override
    void close();
}
