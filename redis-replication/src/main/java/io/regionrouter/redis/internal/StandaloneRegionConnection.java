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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One multiplexed Lettuce connection to a standalone Redis. Built with bounded settings: a command
 * timeout that also covers asynchronous commands, a connect timeout, TCP keepalive, commands
 * rejected while disconnected and a bounded request queue. Once connected, Lettuce reconnects by
 * itself, with the bounded delay of the client resources; if the first connect fails (the region is
 * down at start-up), {@link #async()} and {@link #probe} fail fast and start one background connect
 * attempt at a time. A second connection, used only by {@link #probe}, keeps health probes from
 * queuing behind data commands.
 */
public final class StandaloneRegionConnection implements RegionConnection {

    private static final Logger LOG = LoggerFactory.getLogger(StandaloneRegionConnection.class);

    private final Region region;
    private final RedisClient client;
    private final RedisURI uri;
    private final String maskedUri;
    private final AtomicBoolean connecting = new AtomicBoolean();
    private volatile StatefulRedisConnection<byte[], byte[]> connection;
    private volatile Throwable lastConnectFailure;
    private final ProbeConnection probe;
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
        this.probe = new ProbeConnection(region, client, uri, maskedUri);
        try {
            this.connection = client.connect(ByteArrayCodec.INSTANCE, uri);
            probe.connectNow();
        } catch (RedisConnectionException e) {
            lastConnectFailure = e;
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
        throw new RedisConnectionException("no connection to region " + region + " (" + maskedUri + ") yet",
                lastConnectFailure);
    }

    private void reconnectInBackground() {
        if (!connecting.compareAndSet(false, true)) {
            return;
        }
        client.connectAsync(ByteArrayCodec.INSTANCE, uri).whenComplete((c, failure) -> {
            connecting.set(false);
            if (failure != null) {
                lastConnectFailure = failure;
                LOG.debug("[redis {}] connect to {} failed: {}", region, maskedUri, failure.getMessage());
            } else if (closed) {
                c.closeAsync();
            } else {
                connection = c;
                LOG.info("[redis {}] connected to {}", region, maskedUri);
            }
        });
    }

    @Override
    public CompletableFuture<byte[]> marker(byte[] key, byte[] candidate) {
        return probe.getOrSet(key, candidate);
    }

    /**
     * Passes when the data connection is open and the server answers {@code PING} on the probe
     * connection ({@link ProbeConnection}); an error reply (LOADING, NOAUTH...) is an answer. The data
     * connection is checked because the probe connection reconnects on its own schedule: without the
     * check, health could say UP while every data command is still rejected as "not connected".
     */
    @Override
    public void probe(Duration timeout) throws Exception {
        StatefulRedisConnection<byte[], byte[]> data = connection;
        if (data == null) {
            if (closed) {
                throw new IllegalStateException("connection to region " + region + " is closed");
            }
            reconnectInBackground();
            throw new RedisConnectionException("no data connection to region " + region + " yet", lastConnectFailure);
        }
        if (!data.isOpen()) {
            throw new RedisConnectionException("the data connection to region " + region + " is reconnecting");
        }
        probe.ping(timeout);
    }

    @Override
    public void close() {
        closed = true;
        StatefulRedisConnection<byte[], byte[]> c = connection;
        connection = null;
        if (c != null) {
            c.close();
        }
        probe.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    @Override
    public String toString() {
        return "StandaloneRegionConnection[" + region + ", " + maskedUri + "]";
    }
}
