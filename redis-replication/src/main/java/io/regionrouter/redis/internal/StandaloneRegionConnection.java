package io.regionrouter.redis.internal;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.regionrouter.core.Region;
import io.regionrouter.redis.RedisEndpoint;
import io.regionrouter.redis.RegionalRedisConfig;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One multiplexed Lettuce connection to a standalone Redis. Built with bounded settings: a command
 * timeout that also covers asynchronous commands, a connect timeout, TCP keepalive, commands
 * rejected while disconnected and a bounded request queue. Once connected, Lettuce reconnects by
 * itself; if the first connect fails (the region is down at start-up), {@link #async()} fails fast
 * and starts one background connect attempt at a time. A second connection, used only by
 * {@link #ping}, keeps health probes from queuing behind data commands.
 */
public final class StandaloneRegionConnection implements RegionConnection {

    private static final Logger LOG = LoggerFactory.getLogger(StandaloneRegionConnection.class);

    private final Region region;
    private final RedisClient client;
    private final RedisURI uri;
    private final String maskedUri;
    private final AtomicBoolean connecting = new AtomicBoolean();
    private final AtomicBoolean probeConnecting = new AtomicBoolean();
    private volatile StatefulRedisConnection<byte[], byte[]> connection;
    private final AtomicReference<StatefulRedisConnection<byte[], byte[]>> probeConnection = new AtomicReference<>();
    private volatile boolean closed;

    /**
     * Creates the client and tries to connect once, waiting at most the connect timeout.
     *
     * @param region the region
     * @param endpoint where its Redis is
     * @param config the settings
     * @param resources the shared client resources
     */
    public StandaloneRegionConnection(Region region, RedisEndpoint endpoint, RegionalRedisConfig config,
            ClientResources resources) {
        this.region = region;
        this.maskedUri = endpoint.maskedUri();
        this.uri = RedisURI.create(endpoint.uri());
        this.uri.setTimeout(config.commandTimeout());
        this.client = RedisClient.create(resources, uri);
        this.client.setOptions(clientOptions(config));
        try {
            this.connection = client.connect(ByteArrayCodec.INSTANCE, uri);
            this.probeConnection.set(client.connect(ByteArrayCodec.INSTANCE, uri));
        } catch (RedisConnectionException e) {
            LOG.warn("[redis {}] cannot connect to {} at start-up; will retry in the background: {}", region,
                    maskedUri, e.getMessage());
        }
    }

    /** Returns the client options every region connection uses. */
    static ClientOptions clientOptions(RegionalRedisConfig config) {
        SocketOptions socket = SocketOptions.builder()
                .connectTimeout(config.connectTimeout())
                .keepAlive(SocketOptions.KeepAliveOptions.builder()
                        .enable()
                        .idle(config.keepAliveIdle())
                        .interval(Duration.ofSeconds(1))
                        .count(3)
                        .build())
                .tcpNoDelay(true)
                .build();
        return ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(config.requestQueueSize())
                .socketOptions(socket)
                .timeoutOptions(TimeoutOptions.enabled(config.commandTimeout()))
                .build();
    }

    @Override
    public Region region() {
        return region;
    }

    @Override
    public RedisClusterAsyncCommands<byte[], byte[]> async() {
        StatefulRedisConnection<byte[], byte[]> c = connection;
        if (c != null) {
            return c.async();
        }
        if (closed) {
            throw new IllegalStateException("connection to region " + region + " is closed");
        }
        reconnectInBackground();
        throw new RedisConnectionException("no connection to region " + region + " (" + maskedUri + ") yet");
    }

    private void reconnectInBackground() {
        if (!connecting.compareAndSet(false, true)) {
            return;
        }
        client.connectAsync(ByteArrayCodec.INSTANCE, uri).whenComplete((c, failure) -> {
            connecting.set(false);
            if (failure != null) {
                LOG.debug("[redis {}] connect to {} failed: {}", region, maskedUri, failure.getMessage());
            } else if (closed) {
                c.closeAsync();
            } else {
                connection = c;
                LOG.info("[redis {}] connected to {}", region, maskedUri);
            }
        });
    }

    /**
     * Sends {@code PING} on the probe connection. A probe that fails or times out discards that
     * connection, and the next probe opens a fresh one in the background: a TCP connection can stay
     * stuck after a partition heals (a half-open socket, a middlebox that dropped its state), and a
     * probe that kept using it would hold a healthy region DOWN for good.
     */
    @Override
    public void ping(Duration timeout) throws Exception {
        StatefulRedisConnection<byte[], byte[]> c = probeConnection.get();
        if (c == null) {
            if (closed) {
                throw new IllegalStateException("connection to region " + region + " is closed");
            }
            openProbeConnectionInBackground();
            throw new RedisConnectionException("no probe connection to region " + region + " yet");
        }
        try {
            c.async().ping().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            discardProbeConnection(c);
            throw e;
        }
    }

    private void openProbeConnectionInBackground() {
        if (!probeConnecting.compareAndSet(false, true)) {
            return;
        }
        client.connectAsync(ByteArrayCodec.INSTANCE, uri).whenComplete((conn, failure) -> {
            probeConnecting.set(false);
            if (failure == null && closed) {
                conn.closeAsync();
            } else if (failure == null) {
                probeConnection.set(conn);
            }
        });
    }

    private void discardProbeConnection(StatefulRedisConnection<byte[], byte[]> stale) {
        if (probeConnection.compareAndSet(stale, null)) {
            LOG.debug("[redis {}] probe failed; its connection to {} is replaced", region, maskedUri);
            stale.closeAsync();
        }
    }

    @Override
    public void close() {
        closed = true;
        StatefulRedisConnection<byte[], byte[]> c = connection;
        connection = null;
        if (c != null) {
            c.close();
        }
        StatefulRedisConnection<byte[], byte[]> p = probeConnection.getAndSet(null);
        if (p != null) {
            p.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    @Override
    public String toString() {
        return "StandaloneRegionConnection[" + region + ", " + maskedUri + "]";
    }
}
