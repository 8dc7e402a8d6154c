package io.regionrouter.testkit;

import java.time.Duration;

/**
 * A server of one region, reached through its own TCP proxy, with fault controls.
 *
 * <p>{@link #host()} and {@link #port()} are the proxy's address; clients should always use them,
 * because the faults act on the proxy. {@link #directPort()} bypasses the proxy.
 *
 * <p>The fault controls act immediately and may be called from any thread. They fail with
 * {@link IllegalStateException} once the owning {@link LocalRegions} is closed.
 */
public interface ProxiedServer {

    /** Returns the name of the region that owns this server. */
    String region();

    /** Returns the kind of this server. */
    ServerKind kind();

    /** Returns a short name such as {@code us-postgres} or {@code eu-postgres-standby-1}. */
    String name();

    /** Returns the proxy's host, always {@code 127.0.0.1}. */
    String host();

    /** Returns the proxy's port. It stays the same across every fault and restart. */
    int port();

    /** Returns the server's own port on 127.0.0.1, bypassing the proxy and its faults. */
    int directPort();

    /**
     * Sets the one-way delay of the proxy; a round trip pays it twice. Can be changed at any time and
     * applies to data sent after the change.
     *
     * @param oneWay the delay, {@link Duration#ZERO} to remove it
     * @throws IllegalArgumentException if {@code oneWay} is negative
     */
    void delay(Duration oneWay);

    /** Returns the current one-way delay of the proxy. */
    Duration currentDelay();

    /**
     * Freezes the proxy, modelling a network partition: open connections hang without a reset and
     * new connections are not served. Clients only notice through their own timeouts.
     */
    void partition();

    /** Undoes {@link #partition()} and {@link #refuse()}. Does not change the delay. */
    void heal();

    /**
     * Closes the proxy's listening socket and its connections, so that new connections are refused
     * at once. {@link #heal()} reopens it on the same port.
     */
    void refuse();

    /** Returns {@code true} while the proxy is partitioned. */
    boolean isPartitioned();

    /** Returns {@code true} while the proxy refuses connections. */
    boolean isRefusing();

    /**
     * Stops the server process itself. Connections fail; the proxy stays as it is, so new
     * connections through it are accepted and then closed. Does nothing if already stopped. See the
     * subtype for what survives.
     */
    void kill();

    /**
     * Starts the server process again on the same port (and for PostgreSQL and Redis, with the same
     * data directory). If it is running, it is stopped first.
     */
    void restart();

    /** Returns {@code true} while the server process is running. */
    boolean isRunning();
}
