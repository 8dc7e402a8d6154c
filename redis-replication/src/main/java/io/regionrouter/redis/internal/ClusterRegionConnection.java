package io.regionrouter.redis.internal;

import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
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
 * A region backed by a Redis Cluster: one {@link RedisClusterClient} seeded by the endpoint, one
 * multiplexed cluster connection for data (commands are routed by slot; every key the module
 * touches is a single key or hash-tagged with its target region, so scripts and streams stay within
 * one slot), and a second cluster connection for the probe's {@code PING} and the region marker. The
 * topology is refreshed periodically and on redirects. A region that cannot be reached at start-up is
 * retried in the background, as for a standalone server. Thread-safe.
 */
public final class ClusterRegionConnection implements RegionConnection {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterRegionConnection.class);
    private static final String GET_OR_SET = "local v = redis.call('GET', KEYS[1]) "
            + "if not v then redis.call('SET', KEYS[1], ARGV[1]) v = ARGV[1] end return v";

    private final Region region;
    private final RedisClusterClient client;
    private final String maskedUri;
    private final AtomicBoolean connecting = new AtomicBoolean();
    private volatile StatefulRedisClusterConnection<byte[], byte[]> connection;
    private volatile StatefulRedisClusterConnection<byte[], byte[]> probe;
    private volatile Throwable lastConnectFailure;
    private volatile boolean closed;
    private final io.lettuce.core.RedisClient seedClient;
    private final ProbeConnection seedProbe;

    /**
     * Creates the client and tries to connect once.
     *
     * @param region the region
     * @param endpoint a seed node of the region's cluster
     * @param config the settings
     * @param resources the shared client resources
     */
    public ClusterRegionConnection(Region region, RedisEndpoint endpoint, RegionalRedisConfig config,
            ClientResources resources) {
        this.region = region;
        this.maskedUri = endpoint.maskedUri();
        RedisURI uri = RedisURI.create(endpoint.uri());
        uri.setTimeout(config.commandTimeout());
        this.client = RedisClusterClient.create(resources, uri);
        var standalone = StandaloneRegionConnection.clientOptions(config);
        // connections to the nodes open lazily, on their first command: rejecting commands while one
        // connects would fail the first write of every slot range; they wait instead, bounded by the
        // command timeout like every other command
        this.client.setOptions(ClusterClientOptions.builder(standalone)
                .disconnectedBehavior(io.lettuce.core.ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enablePeriodicRefresh(Duration.ofSeconds(5))
                        .enableAllAdaptiveRefreshTriggers()
                        .build())
                .build());
        // the PING goes to the seed node on a plain connection of its own, replaced when it gets no answer
        this.seedClient = io.lettuce.core.RedisClient.create(resources, uri);
        this.seedClient.setOptions(standalone);
        this.seedProbe = new ProbeConnection(region, seedClient, uri, maskedUri);
        try {
            this.connection = client.connect(ByteArrayCodec.INSTANCE);
            this.probe = client.connect(ByteArrayCodec.INSTANCE);
        } catch (RuntimeException e) {
            lastConnectFailure = e;
            LOG.warn("[redis {}] cannot connect to the cluster at {} at start-up; will retry in the background: {}",
                    region, maskedUri, e.getMessage());
        }
    }

    @Override
    public Region region() {
        return region;
    }

    @Override
    public RedisClusterAsyncCommands<byte[], byte[]> async() {
        StatefulRedisClusterConnection<byte[], byte[]> c = connection;
        if (c != null) {
            return c.async();
        }
        if (closed) {
            throw new IllegalStateException("connection to region " + region + " is closed");
        }
        reconnectInBackground();
        throw new RedisConnectionException("no connection to the cluster of region " + region + " (" + maskedUri
                + ") yet", lastConnectFailure);
    }

    private void reconnectInBackground() {
        if (closed || !connecting.compareAndSet(false, true)) {
            return;
        }
        client.connectAsync(ByteArrayCodec.INSTANCE).whenComplete((c, failure) -> {
            if (failure != null) {
                connecting.set(false);
                lastConnectFailure = failure;
                LOG.debug("[redis {}] connect to the cluster at {} failed: {}", region, maskedUri, failure.getMessage());
                return;
            }
            client.connectAsync(ByteArrayCodec.INSTANCE).whenComplete((p, probeFailure) -> {
                connecting.set(false);
                if (closed) {
                    c.closeAsync();
                    if (p != null) {
                        p.closeAsync();
                    }
                    return;
                }
                if (probe == null && p != null) {
                    probe = p;
                }
                connection = c;
                LOG.info("[redis {}] connected to the cluster at {}", region, maskedUri);
            });
        });
    }

    /**
     * Passes when the data connection exists and the seed node answers {@code PING} on a connection
     * of its own; an error reply is an answer.
     */
    @Override
    public void probe(Duration timeout) throws Exception {
        StatefulRedisClusterConnection<byte[], byte[]> data = connection;
        StatefulRedisClusterConnection<byte[], byte[]> p = probe;
        if (data == null || p == null) {
            if (closed) {
                throw new IllegalStateException("connection to region " + region + " is closed");
            }
            reconnectInBackground();
            throw new RedisConnectionException("no connection to the cluster of region " + region + " yet",
                    lastConnectFailure);
        }
        seedProbe.ping(timeout);
    }

    @Override
    public CompletableFuture<byte[]> marker(byte[] key, byte[] candidate) {
        StatefulRedisClusterConnection<byte[], byte[]> p = probe;
        if (p == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no probe connection to region " + region));
        }
        return p.async().<byte[]>eval(GET_OR_SET, ScriptOutputType.VALUE, new byte[][] {key}, candidate)
                .toCompletableFuture();
    }

    @Override
    public void close() {
        closed = true;
        StatefulRedisClusterConnection<byte[], byte[]> c = connection;
        StatefulRedisClusterConnection<byte[], byte[]> p = probe;
        if (c != null) {
            c.close();
        }
        if (p != null) {
            p.close();
        }
        seedProbe.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        seedClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    @Override
    public String toString() {
        return "ClusterRegionConnection[" + region + ", " + maskedUri + "]";
    }
}
