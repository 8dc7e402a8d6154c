package io.regionrouter.testkit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.regionrouter.testkit.RedisServer;
import io.regionrouter.testkit.ServerKind;

/**
 * A Redis process managed by the testkit through embedded-redis, or a Redis Cluster of several
 * master processes, each behind its own proxy and announcing that proxy's port, so that a cluster
 * client's redirects go through the proxies too and every fault acts on the whole cluster. The
 * cluster bus connects the nodes directly. Thread-safe.
 */
public final class RedisServerImpl extends AbstractProxiedServer implements RedisServer {

    /** The PID file in the server's directory, used to find it again after a JVM crash. */
    public static final String PID_FILE = "redis.pid";

    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private static final int SLOTS = 16384;
    private static final int BUS_OFFSET = 10000;

    private final Path executable;
    private final Path dataDir;
    private final int directPort;
    private final int nodes;
    private final Path runDir;
    private final int[] directPorts;
    private final redis.embedded.RedisServer[] processes;
    private final List<ServerProxy> others = new ArrayList<>();
    private int[] announcedPorts;
    private Duration startTimeout = Duration.ofSeconds(60);

    /**
     * Creates the server; {@link #start(RunContext)} starts it.
     *
     * @param context the run
     * @param region the region
     * @param executable the {@code redis-server} to run
     */
    public RedisServerImpl(RunContext context, String region, Path executable) {
        this(context, region, executable, 1);
    }

    /**
     * Creates the server; with {@code nodes} above 1, a cluster of that many masters.
     *
     * @param nodes 1 for a standalone server, else the number of cluster masters
     */
    public RedisServerImpl(RunContext context, String region, Path executable, int nodes) {
        super(region, ServerKind.REDIS, region + "-" + ServerKind.REDIS.id());
        this.executable = executable;
        this.runDir = context.runDir();
        this.dataDir = context.runDir().resolve(name());
        this.nodes = nodes;
        this.startTimeout = context.startTimeout();
        this.directPorts = new int[nodes];
        for (int i = 0; i < nodes; i++) {
            directPorts[i] = nodes == 1 ? FreePorts.pick() : pickWithFreeBusPort();
        }
        this.directPort = directPorts[0];
        this.processes = new redis.embedded.RedisServer[nodes];
    }

    /** A cluster node's bus listens on its port + 10000, which must be free as well. */
    private static int pickWithFreeBusPort() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = FreePorts.pick();
            if (port + BUS_OFFSET <= 65535 && FreePorts.claim(port + BUS_OFFSET)) {
                return port;
            }
        }
        throw new IllegalStateException("no port with a free cluster bus port (port + 10000) was found");
    }

    @Override
    protected synchronized void startProcess(boolean first) {
        for (int i = 0; i < nodes; i++) {
            startNode(i);
        }
        if (nodes > 1 && announcedPorts != null) {
            awaitClusterOk();
        }
    }

    private void startNode(int i) {
        Path dir = nodeDir(i);
        try {
            if (processes[i] == null) {
                DataDirs.create(dir);
                // settings on the command line rather than through the builder, which writes a config
                // file to the system temp directory that stays there if the JVM is killed; "dir" keeps
                // anything Redis might write (and its working files) inside the run directory
                List<String> args = new ArrayList<>(List.of(executable.toString(),
                        "--port", String.valueOf(directPorts[i]),
                        "--bind", HOST,
                        "--appendonly", "no",
                        "--save", "",
                        "--dir", dir.toAbsolutePath().toString(),
                        "--pidfile", pidFile(i).toString()));
                if (nodes > 1) {
                    args.addAll(List.of("--cluster-enabled", "yes",
                            "--cluster-config-file", dir.resolve("nodes.conf").toAbsolutePath().toString(),
                            "--cluster-node-timeout", "2000",
                            "--cluster-announce-bus-port", String.valueOf(directPorts[i] + BUS_OFFSET)));
                }
                // keep reading the output, so that a full pipe never blocks the server
                processes[i] = new redis.embedded.RedisServer(directPorts[i], args, false, line -> { }, line -> { });
            }
            startWithRetries(i);
            if (announcedPorts != null) {
                // a restart: announce the proxy again, before any client asks for the topology
                RespClient.call(directPorts[i], "CONFIG", "SET", "cluster-announce-port",
                        String.valueOf(announcedPorts[i]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Redis " + name() + " node " + i + " on port " + directPorts[i]
                    + " did not start with " + executable, e);
        }
    }

    /**
     * Starts a node, trying again a few times: a port found free when the run was planned (the
     * node's, or its cluster bus port) may be held for a moment by a short-lived client connection
     * of the servers starting beside it.
     */
    private void startWithRetries(int i) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 4; attempt++) {
            try {
                processes[i].start();
                return;
            } catch (IOException e) {
                last = e;
                try {
                    processes[i].stop();
                } catch (IOException | RuntimeException ignored) {
                    // it did not start
                }
                try {
                    Thread.sleep(250L * (attempt + 1));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
        throw last;
    }

    /** Opens the other nodes' proxies, makes every node announce its proxy, and assembles the cluster. */
    @Override
    protected synchronized void started(RunContext context) {
        if (nodes == 1) {
            return;
        }
        int[] announced = new int[nodes];
        announced[0] = port();
        for (int i = 1; i < nodes; i++) {
            ServerProxy p = ServerProxy.open(name() + "-" + i, context.reactor(), directPorts[i]);
            others.add(p);
            announced[i] = p.port();
        }
        for (int i = 0; i < nodes; i++) {
            RespClient.call(directPorts[i], "CONFIG", "SET", "cluster-announce-port", String.valueOf(announced[i]));
            int from = i * SLOTS / nodes;
            int to = (i + 1) * SLOTS / nodes - 1;
            List<String> addSlots = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
            for (int slot = from; slot <= to; slot++) {
                addSlots.add(String.valueOf(slot));
            }
            RespClient.call(directPorts[i], addSlots.toArray(new String[0]));
        }
        for (int i = 1; i < nodes; i++) {
            RespClient.call(directPorts[i], "CLUSTER", "MEET", HOST, String.valueOf(directPorts[0]));
        }
        announcedPorts = announced;
        awaitClusterOk();
    }

    private void awaitClusterOk() {
        long deadline = System.nanoTime() + startTimeout.toNanos();
        for (int i = 0; i < nodes; i++) {
            while (true) {
                String info;
                try {
                    info = RespClient.call(directPorts[i], "CLUSTER", "INFO");
                } catch (RuntimeException notYet) {
                    info = "";
                }
                if (info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:" + nodes + "\r")) {
                    break;
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("Redis cluster " + name() + " did not become ok within "
                            + startTimeout + "; node " + i + " reports: " + info.replace("\r\n", ", "));
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while the cluster " + name() + " formed", e);
                }
            }
        }
    }

    @Override
    protected synchronized void stopProcess() {
        IOException failure = null;
        for (int i = 0; i < nodes; i++) {
            if (processes[i] == null) {
                continue;
            }
            // embedded-redis waits for the process without a bound; stop it here first, with one
            ProcessStopper.stop(pidFile(i), "redis-server", STOP_WAIT);
            try {
                processes[i].stop();
            } catch (IOException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw new UncheckedIOException("could not stop Redis " + name(), failure);
        }
    }

    @Override
    protected synchronized List<ServerProxy> otherProxies() {
        return List.copyOf(others);
    }

    /** Node 0 keeps the server's directory; the others get sibling directories, found by stale-run cleanup. */
    private Path nodeDir(int i) {
        return i == 0 ? dataDir : runDir.resolve(name() + "-node" + i);
    }

    private Path pidFile(int i) {
        return nodeDir(i).toAbsolutePath().resolve(PID_FILE);
    }


    @Override
    public int directPort() {
        return directPort;
    }

    @Override
    public String uri() {
        return "redis://" + HOST + ":" + port();
    }

    @Override
    public String executable() {
        return executable.toString();
    }

    @Override
    public boolean cluster() {
        return nodes > 1;
    }

    @Override
    public List<Integer> directPorts() {
        List<Integer> out = new ArrayList<>(nodes);
        for (int p : directPorts) {
            out.add(p);
        }
        return out;
    }
}
