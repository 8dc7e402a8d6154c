package io.regionrouter.redis.internal;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.regionrouter.core.Region;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection that carries only the health probe's {@code PING}, so that a probe never queues
 * behind data commands and a busy region is never taken for a dead one.
 *
 * <p>A {@code PING} that gets no answer discards the connection: a TCP connection can stay stuck
 * after a partition heals (a half-open socket, a middlebox that dropped its state), and a probe that
 * kept using it would hold a healthy region DOWN for good. The next probe opens a fresh one and waits
 * for it within its own timeout, so one slow answer costs one failed probe, not two. An error reply
 * (LOADING, NOAUTH...) is an answer and passes. Thread-safe; one connect at a time.
 */
final class ProbeConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProbeConnection.class);

    private final Region region;
    private final RedisClient client;
    private final RedisURI uri;
    private final String maskedUri;
    private final AtomicReference<StatefulRedisConnection<byte[], byte[]>> connection = new AtomicReference<>();
    private final AtomicReference<CompletableFuture<StatefulRedisConnection<byte[], byte[]>>> connecting =
            new AtomicReference<>();
    private volatile boolean closed;

    ProbeConnection(Region region, RedisClient client, RedisURI uri, String maskedUri) {
        this.region = region;
        this.client = client;
        this.uri = uri;
        this.maskedUri = maskedUri;
    }

    /** Connects now, waiting at most the client's connect timeout; a failure is left to the first probe. */
    void connectNow() {
        connection.set(client.connect(ByteArrayCodec.INSTANCE, uri));
    }

    /**
     * Sends {@code PING}, opening a connection first if there is none.
     *
     * @throws Exception if no connection could be opened or the server did not answer in time
     */
    void ping(Duration timeout) throws Exception {
        StatefulRedisConnection<byte[], byte[]> c = connection.get();
        try {
            if (c == null) {
                c = await(open(), timeout);
            }
            await(c.async().ping().toCompletableFuture(), timeout);
        } catch (InterruptedException e) {
            // the health monitor interrupts a probe that ran out of time: no answer
            Thread.currentThread().interrupt();
            discard(c);
            throw e;
        } catch (Exception e) {
            if (Failures.classify(e).answered()) {
                return;
            }
            discard(c);
            throw e;
        }
    }

    /**
     * Reads a key on this connection, setting it to {@code candidate} first if it is absent, in one
     * round trip. A region's marker travels here rather than on the data connection, so a check sent
     * into a partition can only cost this connection, which the next {@code PING} replaces.
     */
    CompletableFuture<byte[]> getOrSet(byte[] key, byte[] candidate) {
        StatefulRedisConnection<byte[], byte[]> c = connection.get();
        if (c == null || !c.isOpen()) {
            return CompletableFuture.failedFuture(new IllegalStateException("no probe connection to region " + region));
        }
        return c.async().<byte[]>eval(GET_OR_SET, ScriptOutputType.VALUE, new byte[][] {key}, candidate)
                .toCompletableFuture();
    }

    private static final String GET_OR_SET = "local v = redis.call('GET', KEYS[1]) "
            + "if not v then redis.call('SET', KEYS[1], ARGV[1]) v = ARGV[1] end return v";

    private static <T> T await(CompletableFuture<T> future, Duration timeout) throws Exception {
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            Throwable cause = Failures.unwrap(e);
            throw cause instanceof Exception ex ? ex : e;
        }
    }

    private CompletableFuture<StatefulRedisConnection<byte[], byte[]>> open() {
        CompletableFuture<StatefulRedisConnection<byte[], byte[]>> fresh = new CompletableFuture<>();
        CompletableFuture<StatefulRedisConnection<byte[], byte[]>> running = connecting.compareAndExchange(null, fresh);
        if (running != null) {
            return running;
        }
        if (closed) {
            connecting.set(null);
            fresh.completeExceptionally(new IllegalStateException("probe connection to region " + region
                    + " is closed"));
            return fresh;
        }
        client.connectAsync(ByteArrayCodec.INSTANCE, uri).whenComplete((conn, failure) -> {
            connecting.set(null);
            if (failure != null) {
                fresh.completeExceptionally(failure);
            } else if (closed) {
                conn.closeAsync();
                fresh.completeExceptionally(new IllegalStateException("probe connection to region " + region
                        + " is closed"));
            } else {
                connection.set(conn);
                fresh.complete(conn);
            }
        });
        return fresh;
    }

    private void discard(StatefulRedisConnection<byte[], byte[]> stale) {
        if (stale != null && connection.compareAndSet(stale, null)) {
            LOG.debug("[redis {}] probe got no answer; its connection to {} is replaced", region, maskedUri);
            stale.closeAsync();
        }
    }

    @Override
    public void close() {
        closed = true;
        StatefulRedisConnection<byte[], byte[]> c = connection.getAndSet(null);
        if (c != null) {
            c.close();
        }
    }
}
