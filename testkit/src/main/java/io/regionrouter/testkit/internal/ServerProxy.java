package io.regionrouter.testkit.internal;

import java.net.InetSocketAddress;
import java.time.Duration;

import org.netcrusher.core.reactor.NioReactor;
import org.netcrusher.tcp.TcpCrusher;
import org.netcrusher.tcp.TcpCrusherBuilder;

/**
 * A NetCrusher TCP proxy in front of one server, with the fault states the testkit offers.
 *
 * <p>States: open, partitioned ({@code freeze()}: sockets stay open, nothing moves, no RST) and
 * refused (the crusher is closed: existing connections are dropped and new ones are refused).
 * The bind port never changes. Methods are synchronized; the proxy is thread-safe.
 */
public final class ServerProxy implements AutoCloseable {

    private static final int BIND_ATTEMPTS = 5;

    private final String name;
    private final AdjustableDelay delay;
    private final TcpCrusher crusher;
    private boolean closedForGood;

    private ServerProxy(String name, TcpCrusher crusher, AdjustableDelay delay) {
        this.name = name;
        this.crusher = crusher;
        this.delay = delay;
    }

    /**
     * Opens a proxy on a free 127.0.0.1 port that forwards to {@code 127.0.0.1:targetPort}.
     *
     * @param name a name for messages, such as {@code us-postgres}
     * @param reactor the shared NetCrusher reactor
     * @param targetPort the server's own port
     * @return the open proxy
     */
    public static ServerProxy open(String name, NioReactor reactor, int targetPort) {
        RuntimeException last = null;
        for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
            AdjustableDelay delay = new AdjustableDelay();
            TcpCrusher crusher = TcpCrusherBuilder.builder()
                    .withReactor(reactor)
                    .withBindAddress("127.0.0.1", FreePorts.pick())
                    .withConnectAddress("127.0.0.1", targetPort)
                    .withTcpNoDelay(true)
                    .withIncomingThrottlerFactory(address -> delay)
                    .withOutgoingThrottlerFactory(address -> delay)
                    .build();
            try {
                crusher.open();
                return new ServerProxy(name, crusher, delay);
            } catch (RuntimeException e) {
                last = e;
            }
        }
        throw new IllegalStateException("proxy " + name + " could not bind a free port after "
                + BIND_ATTEMPTS + " attempts", last);
    }

    /** Returns the proxy's port on 127.0.0.1. */
    public int port() {
        return crusher.getBindAddress().getPort();
    }

    /** Returns the address the proxy forwards to. */
    public InetSocketAddress target() {
        return crusher.getConnectAddress();
    }

    /** Sets the one-way delay, applied in both directions. */
    public void delay(Duration oneWay) {
        delay.set(oneWay);
    }

    /** Returns the current one-way delay. */
    public Duration currentDelay() {
        return delay.get();
    }

    /** Freezes the proxy: connections hang, new ones are not accepted, nothing is reset. */
    public synchronized void partition() {
        ensureUsable();
        if (!crusher.isOpen()) {
            crusher.open();
        }
        if (!crusher.isFrozen()) {
            crusher.freeze();
        }
    }

    /** Undoes {@link #partition()} and {@link #refuse()}. */
    public synchronized void heal() {
        ensureUsable();
        if (!crusher.isOpen()) {
            crusher.open();
        } else if (crusher.isFrozen()) {
            crusher.unfreeze();
        }
    }

    /** Closes the proxy's listening socket and its connections, so that connects are refused. */
    public synchronized void refuse() {
        ensureUsable();
        crusher.close();
    }

    /** Drops every open connection through the proxy but keeps accepting new ones. */
    public synchronized void dropConnections() {
        ensureUsable();
        if (crusher.isOpen()) {
            crusher.closeAllPairs();
        }
    }

    /** Returns {@code true} while the proxy is partitioned. */
    public synchronized boolean isPartitioned() {
        return crusher.isOpen() && crusher.isFrozen();
    }

    /** Returns {@code true} while the proxy refuses connections. */
    public synchronized boolean isRefusing() {
        return !crusher.isOpen();
    }

    private void ensureUsable() {
        if (closedForGood) {
            throw new IllegalStateException("proxy " + name + " is closed");
        }
    }

    @Override
    public synchronized void close() {
        if (!closedForGood) {
            closedForGood = true;
            crusher.close();
        }
    }

    @Override
    public String toString() {
        return "ServerProxy[" + name + " 127.0.0.1:" + port() + " -> " + target().getPort() + "]";
    }
}
