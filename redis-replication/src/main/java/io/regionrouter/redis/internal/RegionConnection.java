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

    /**
     * Checks that the region can serve: its data connection is open, and its Redis answers on a
     * connection of its own (a probe must not queue behind the commands of the multiplexed data
     * connection, or a busy region would look dead). An error reply is an answer.
     *
     * @param timeout how long to wait
     * @throws Exception if the data connection is not open or the server does not answer in time
     */
    void probe(java.time.Duration timeout) throws Exception;

    /**
     * Reads the region's marker key, setting it to {@code candidate} first if absent, off the data
     * connection (on the probe's), so that a check sent into a partition never holds data commands up.
     */
    java.util.concurrent.CompletableFuture<byte[]> marker(byte[] key, byte[] candidate);

    /** Closes the connection; idempotent. */
    @Override
    void close();
}
