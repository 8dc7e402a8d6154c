package io.regionrouter.testkit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.netcrusher.core.reactor.NioReactor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.regionrouter.testkit.ServerKind;

/**
 * One started set of servers: its directory and lock, the proxy reactor and every server. Created
 * by {@link #start}, ended by {@link #close()}. Thread-safe.
 */
public final class Run implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Run.class);
    private static final long PROXY_TICK_MS = 2;

    private final Path dir;
    private final StaleRuns lock;
    private final Duration startTimeout;
    private final List<AbstractProxiedServer> servers = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Map<ServerKind, AbstractProxiedServer>> byRegion = new LinkedHashMap<>();
    private NioReactor reactor;
    private boolean closed;

    private Run(Path dir, StaleRuns lock, Duration startTimeout) {
        this.dir = dir;
        this.lock = lock;
        this.startTimeout = startTimeout;
    }

    /**
     * Cleans up stale runs under {@code dataRoot}, then starts every declared server in parallel.
     * If anything fails, everything started so far is closed before the failure is thrown.
     *
     * @param declared the kinds of server per region, in declaration order
     * @param dataRoot the root of run directories
     * @param postgresSettings PostgreSQL server settings
     * @param startTimeout how long each server may take
     * @param standbyRegistry where standbys created later go
     * @return the started run
     */
    public static Run start(Map<String, Set<ServerKind>> declared, Path dataRoot, Map<String, String> postgresSettings,
            Duration startTimeout, RunContext.StandbyRegistry standbyRegistry) {
        return start(declared, dataRoot, postgresSettings, startTimeout, standbyRegistry, 1);
    }

    /**
     * As {@link #start(Map, Path, Map, Duration, RunContext.StandbyRegistry)}, with every Redis a
     * cluster of {@code redisClusterNodes} masters when above 1.
     */
    public static Run start(Map<String, Set<ServerKind>> declared, Path dataRoot, Map<String, String> postgresSettings,
            Duration startTimeout, RunContext.StandbyRegistry standbyRegistry, int redisClusterNodes) {
        long t0 = System.nanoTime();
        Path root = dataRoot.toAbsolutePath();
        StaleRuns.cleanUnder(root);
        Path dir = DataDirs.create(root.resolve(DataDirs.newRunId()));
        Run run = new Run(dir, StaleRuns.lock(dir), startTimeout);
        try {
            run.startServers(declared, postgresSettings, standbyRegistry, redisClusterNodes);
        } catch (RuntimeException e) {
            try {
                run.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        LOG.info("started regions {} in {} ms under {}", declared.keySet(),
                Duration.ofNanos(System.nanoTime() - t0).toMillis(), dir);
        return run;
    }

    private void startServers(Map<String, Set<ServerKind>> declared, Map<String, String> postgresSettings,
            RunContext.StandbyRegistry standbyRegistry, int redisClusterNodes) {
        try {
            reactor = new NioReactor(PROXY_TICK_MS);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create the proxy reactor", e);
        }
        RunContext context = new RunContext(reactor, dir, postgresSettings, startTimeout, standbyRegistry);
        Path redisExecutable = null;
        List<Runnable> starts = new ArrayList<>();
        for (Map.Entry<String, Set<ServerKind>> e : declared.entrySet()) {
            String region = e.getKey();
            Map<ServerKind, AbstractProxiedServer> kinds = new EnumMap<>(ServerKind.class);
            for (ServerKind kind : e.getValue()) {
                AbstractProxiedServer server;
                switch (kind) {
                    case POSTGRES:
                        server = PostgresServerImpl.primary(context, region);
                        break;
                    case REDIS:
                        if (redisExecutable == null) {
                            redisExecutable = RedisExecutable.resolve(dir.resolve("bin"));
                        }
                        server = new RedisServerImpl(context, region, redisExecutable, redisClusterNodes);
                        break;
                    case MONGO:
                        server = new MongoServerImpl(region);
                        break;
                    default:
                        throw new IllegalStateException("unknown server kind " + kind);
                }
                servers.add(server);
                kinds.put(kind, server);
                starts.add(() -> {
                    server.start(context);
                    LOG.info("started {} in {} ms: proxy 127.0.0.1:{} -> 127.0.0.1:{}", server.name(),
                            server.lastStartDuration().toMillis(), server.port(), server.directPort());
                });
            }
            byRegion.put(region, Collections.unmodifiableMap(kinds));
        }
        ParallelTasks.runAll("start", starts, startTimeout.multipliedBy(2));
    }

    /** Returns the declared servers per region, in declaration order. */
    public Map<String, Map<ServerKind, AbstractProxiedServer>> servers() {
        return Collections.unmodifiableMap(byRegion);
    }

    /**
     * Adds a server started later (a standby), so that {@link #close()} stops it.
     *
     * @param server the started server
     * @throws IllegalStateException if the run is closed; the server is closed then
     */
    public synchronized void add(AbstractProxiedServer server) {
        if (closed) {
            server.close();
            throw new IllegalStateException("the run was closed while " + server.name() + " was starting");
        }
        servers.add(server);
    }

    /** Returns the run directory. */
    public Path dir() {
        return dir;
    }

    /**
     * Stops every server and proxy, releases the lock and deletes the directory. Idempotent.
     *
     * @throws IllegalStateException if something could not be stopped or deleted; the rest is
     *     still done
     */
    @Override
    public void close() {
        List<AbstractProxiedServer> toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            synchronized (servers) {
                toClose = new ArrayList<>(servers);
                servers.clear();
            }
        }
        List<RuntimeException> failures = new ArrayList<>();
        List<Runnable> closes = new ArrayList<>();
        toClose.forEach(s -> closes.add(s::close));
        try {
            ParallelTasks.runAll("close", closes, startTimeout);
        } catch (RuntimeException e) {
            failures.add(e);
        }
        if (reactor != null) {
            reactor.close();
        }
        try {
            lock.close();
        } catch (RuntimeException e) {
            failures.add(e);
        }
        try {
            DataDirs.deleteTree(dir);
        } catch (RuntimeException e) {
            failures.add(e);
        }
        if (!failures.isEmpty()) {
            IllegalStateException e = new IllegalStateException("the testkit run in " + dir + " did not close cleanly",
                    failures.get(0));
            failures.subList(1, failures.size()).forEach(e::addSuppressed);
            throw e;
        }
    }
}
