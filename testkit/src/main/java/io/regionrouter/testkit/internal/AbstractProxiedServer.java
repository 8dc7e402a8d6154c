package io.regionrouter.testkit.internal;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import io.regionrouter.testkit.ProxiedServer;
import io.regionrouter.testkit.ServerKind;

/**
 * The proxy half of every server: fault controls that act on its {@link ServerProxy}, plus the
 * kill/restart life cycle that subclasses fill in. Thread-safe: life-cycle methods are
 * synchronized, proxy methods are thread-safe themselves.
 */
public abstract class AbstractProxiedServer implements ProxiedServer, AutoCloseable {

    /** The host every server and proxy binds. */
    public static final String HOST = "127.0.0.1";

    private final String region;
    private final ServerKind kind;
    private final String name;
    private ServerProxy proxy;
    private boolean running;
    private boolean closed;
    private Duration lastStartDuration = Duration.ZERO;

    /**
     * Creates the server; nothing is started yet.
     *
     * @param region the owning region
     * @param kind the kind
     * @param name the display name
     */
    protected AbstractProxiedServer(String region, ServerKind kind, String name) {
        this.region = region;
        this.kind = kind;
        this.name = name;
    }

    /**
     * Starts the process, then the proxy in front of it.
     *
     * @param context the run context
     */
    public final synchronized void start(RunContext context) {
        if (closed) {
            throw new IllegalStateException(name + " is closed");
        }
        if (proxy != null) {
            throw new IllegalStateException(name + " is already started");
        }
        long t0 = System.nanoTime();
        startOrCleanUp(true);
        running = true;
        lastStartDuration = Duration.ofNanos(System.nanoTime() - t0);
        proxy = ServerProxy.open(name, context.reactor(), directPort());
        started(context);
    }

    /**
     * Called once the first start and the proxy are done; a server made of several processes opens
     * its other proxies here. Default: nothing.
     */
    protected void started(RunContext context) {
    }

    /** Proxies of the other processes of this server, which every fault control acts on too. Default: none. */
    protected List<ServerProxy> otherProxies() {
        return List.of();
    }

    /**
     * Starts the process; if that fails part-way (the process runs but a later setup step threw),
     * stops whatever did start, so that no process outlives a failed start.
     */
    private void startOrCleanUp(boolean first) {
        try {
            startProcess(first);
        } catch (RuntimeException | Error e) {
            try {
                stopProcess();
            } catch (RuntimeException stopFailure) {
                e.addSuppressed(stopFailure);
            }
            throw e;
        }
    }

    /**
     * Starts the server process.
     *
     * @param first {@code true} on the first start, {@code false} on a restart
     */
    protected abstract void startProcess(boolean first);

    /**
     * Stops the server process; called while it runs, and after a {@link #startProcess} that
     * failed part-way, so it must cope with a process that never started.
     */
    protected abstract void stopProcess();

    /** Returns the proxy; fails before start and after close. */
    protected final synchronized ServerProxy proxy() {
        if (closed) {
            throw new IllegalStateException(name + " is closed");
        }
        if (proxy == null) {
            throw new IllegalStateException(name + " is not started");
        }
        return proxy;
    }

    /** Returns how long the last start or restart of the process took. */
    public final synchronized Duration lastStartDuration() {
        return lastStartDuration;
    }

    @Override
    public final String region() {
        return region;
    }

    @Override
    public final ServerKind kind() {
        return kind;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String host() {
        return HOST;
    }

    @Override
    public final int port() {
        return proxy().port();
    }

    @Override
    public final void delay(Duration oneWay) {
        Objects.requireNonNull(oneWay, "delay must not be null");
        if (oneWay.isNegative()) {
            throw new IllegalArgumentException("delay must be >= 0, but was " + oneWay);
        }
        proxy().delay(oneWay);
        otherProxies().forEach(p -> p.delay(oneWay));
    }

    @Override
    public final Duration currentDelay() {
        return proxy().currentDelay();
    }

    @Override
    public final void partition() {
        proxy().partition();
        otherProxies().forEach(ServerProxy::partition);
    }

    @Override
    public final void heal() {
        proxy().heal();
        otherProxies().forEach(ServerProxy::heal);
    }

    @Override
    public final void refuse() {
        proxy().refuse();
        otherProxies().forEach(ServerProxy::refuse);
    }

    @Override
    public final boolean isPartitioned() {
        return proxy().isPartitioned();
    }

    @Override
    public final boolean isRefusing() {
        return proxy().isRefusing();
    }

    @Override
    public final synchronized void kill() {
        proxy();
        if (running) {
            running = false;
            stopProcess();
        }
    }

    @Override
    public final synchronized void restart() {
        ServerProxy p = proxy();
        if (running) {
            running = false;
            stopProcess();
        }
        long t0 = System.nanoTime();
        startOrCleanUp(false);
        running = true;
        lastStartDuration = Duration.ofNanos(System.nanoTime() - t0);
        // connections accepted while the server was down are dead; let clients reconnect cleanly
        p.dropConnections();
        otherProxies().forEach(ServerProxy::dropConnections);
    }

    @Override
    public final synchronized boolean isRunning() {
        return running && !closed;
    }

    /** Stops the proxy and the process. Idempotent; never throws for a stop that fails. */
    @Override
    public final synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        if (proxy != null) {
            try {
                proxy.close();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        for (ServerProxy other : otherProxies()) {
            try {
                other.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (running) {
            running = false;
            try {
                stopProcess();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        ServerProxy p = proxy;
        return getClass().getSimpleName().replace("Impl", "") + "[" + name + ", proxy 127.0.0.1:"
                + (p == null ? "-" : String.valueOf(p.port())) + ", direct 127.0.0.1:" + directPort() + "]";
    }
}
