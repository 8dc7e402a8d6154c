package io.regionrouter.jdbc.failover;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A two-node Patroni cluster on one etcd, from Debian's packages ({@code patroni}, {@code etcd-server},
 * {@code postgresql-15}), on 127.0.0.1 with free ports, in a directory under /tmp. As root, the
 * servers run as the {@code postgres} user (PostgreSQL refuses root). Everything it starts is
 * stopped by PID on {@link #close()}.
 */
final class PatroniCluster implements AutoCloseable {

    static final Path PATRONI = Path.of("/usr/bin/patroni");
    static final Path ETCD = Path.of("/usr/bin/etcd");
    static final Path PG_BIN = Path.of("/usr/lib/postgresql/15/bin");

    final Path dir;
    final String superPassword = "s" + UUID.randomUUID().toString().replace("-", "");
    final int[] pgPorts = new int[2];
    final int[] restPorts = new int[2];
    private final int etcdClient;
    private final int etcdPeer;
    private final boolean root;
    private Process etcd;
    private final Process[] nodes = new Process[2];

    /** Why the cluster cannot run here, or empty when it can. */
    static Optional<String> missing() {
        for (Path p : List.of(PATRONI, ETCD, PG_BIN.resolve("postgres"))) {
            if (!Files.isExecutable(p)) {
                return Optional.of(p + " is not installed (Debian packages patroni, etcd-server, postgresql-15; .ci/run installs them)");
            }
        }
        if (isRoot() && !Files.isExecutable(Path.of("/usr/bin/setpriv"))) {
            return Optional.of("running as root, and /usr/bin/setpriv is missing to start PostgreSQL as the postgres user");
        }
        return Optional.empty();
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private PatroniCluster() throws IOException {
        root = isRoot();
        Path base = Path.of("/tmp/region-router-patroni");
        Files.createDirectories(base);
        dir = Files.createTempDirectory(base, "run-");
        base.toFile().setExecutable(true, false);
        dir.toFile().setExecutable(true, false);
        dir.toFile().setReadable(true, false);
        dir.toFile().setWritable(true, false);
        etcdClient = freePort();
        etcdPeer = freePort();
        for (int i = 0; i < 2; i++) {
            pgPorts[i] = freePort();
            restPorts[i] = freePort();
        }
    }

    /** Starts etcd, then node1 (the leader) and node2 (its streaming replica). */
    static PatroniCluster start() throws Exception {
        PatroniCluster c = new PatroniCluster();
        try {
            c.etcd = c.launch("etcd", List.of(ETCD.toString(), "--name", "e1", "--data-dir", c.dir.resolve("etcd").toString(),
                    "--listen-client-urls", "http://127.0.0.1:" + c.etcdClient, "--advertise-client-urls",
                    "http://127.0.0.1:" + c.etcdClient, "--listen-peer-urls", "http://127.0.0.1:" + c.etcdPeer,
                    "--initial-advertise-peer-urls", "http://127.0.0.1:" + c.etcdPeer, "--initial-cluster",
                    "e1=http://127.0.0.1:" + c.etcdPeer));
            c.startNode(0);
            c.awaitHttp(0, "/primary", Duration.ofSeconds(60));
            c.startNode(1);
            c.awaitHttp(1, "/replica", Duration.ofSeconds(60));
            return c;
        } catch (Exception e) {
            c.close();
            throw e;
        }
    }

    String name(int node) {
        return "node" + (node + 1);
    }

    String jdbcUrl(int node) {
        return "jdbc:postgresql://127.0.0.1:" + pgPorts[node] + "/postgres";
    }

    Connection superuser(int node) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(node) + "?connectTimeout=2&socketTimeout=5", "postgres", superPassword);
    }

    boolean writable(int node) {
        try (Connection c = superuser(node); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT NOT pg_is_in_recovery()")) {
            rs.next();
            return rs.getBoolean(1);
        } catch (SQLException e) {
            return false;
        }
    }

    /** Asks Patroni for a switchover from one node to the other. */
    void switchover(int from, int to) throws IOException {
        HttpURLConnection http = (HttpURLConnection) URI.create("http://127.0.0.1:" + restPorts[from] + "/switchover").toURL()
                .openConnection();
        http.setRequestMethod("POST");
        http.setDoOutput(true);
        http.setConnectTimeout(2000);
        http.setReadTimeout(60_000);
        http.getOutputStream().write(("{\"leader\":\"" + name(from) + "\",\"candidate\":\"" + name(to) + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        int code = http.getResponseCode();
        if (code != 200) {
            throw new IOException("switchover answered HTTP " + code);
        }
    }

    /** Kills a node's Patroni and its postmaster with SIGKILL, as a crashed machine would stop. */
    void kill(int node) throws Exception {
        long postmaster = Long.parseLong(Files.readAllLines(dir.resolve(name(node)).resolve("postmaster.pid")).get(0).trim());
        nodes[node].destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        killIfOurs(postmaster);
    }

    /** SIGKILL to a postmaster of this cluster only: a stale pid file may name a pid reused by another process. */
    private void killIfOurs(long pid) {
        ProcessHandle.of(pid).filter(h -> h.info().commandLine().map(cmd -> cmd.contains(dir.toString())).orElse(false))
                .ifPresent(ProcessHandle::destroyForcibly);
    }

    private void startNode(int node) throws IOException {
        String n = name(node);
        String yml = String.join("\n",
                "scope: rr",
                "name: " + n,
                "restapi:",
                "  listen: 127.0.0.1:" + restPorts[node],
                "  connect_address: 127.0.0.1:" + restPorts[node],
                "etcd3:",
                "  hosts: 127.0.0.1:" + etcdClient,
                "bootstrap:",
                "  dcs:",
                "    ttl: 20",
                "    loop_wait: 2",
                "    retry_timeout: 5",
                "    postgresql:",
                "      use_pg_rewind: true",
                "      parameters:",
                "        wal_log_hints: 'on'",
                "        max_wal_senders: 10",
                "        max_replication_slots: 10",
                "  initdb:",
                "  - encoding: UTF8",
                "  pg_hba:",
                "  - host replication replicator 127.0.0.1/32 md5",
                "  - host all all 127.0.0.1/32 md5",
                "  - local all all trust",
                "postgresql:",
                "  listen: 127.0.0.1:" + pgPorts[node],
                "  connect_address: 127.0.0.1:" + pgPorts[node],
                "  data_dir: " + dir.resolve(n),
                "  bin_dir: " + PG_BIN,
                "  pgpass: " + dir.resolve("pgpass-" + n),
                "  authentication:",
                "    replication: {username: replicator, password: " + superPassword + "r}",
                "    superuser: {username: postgres, password: " + superPassword + "}",
                "    rewind: {username: rewinder, password: " + superPassword + "w}",
                "  parameters:",
                "    unix_socket_directories: " + dir,
                "");
        Path config = dir.resolve(n + ".yml");
        Files.writeString(config, yml);
        config.toFile().setReadable(true, false);
        nodes[node] = launch(n, List.of(PATRONI.toString(), config.toString()));
    }

    private Process launch(String name, List<String> command) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (root) {
            cmd.addAll(List.of("/usr/bin/setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups"));
        }
        cmd.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().put("HOME", dir.toString());
        return pb.start();
    }

    private void awaitHttp(int node, String path, Duration max) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            try {
                HttpURLConnection http = (HttpURLConnection) URI.create("http://127.0.0.1:" + restPorts[node] + path).toURL()
                        .openConnection();
                http.setConnectTimeout(1000);
                http.setReadTimeout(2000);
                if (http.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Patroni's REST API is not up yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name(node) + " did not answer 200 on " + path + " within " + max + "; see "
                        + dir.resolve(name(node) + ".log"));
            }
            Thread.sleep(200);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        for (Process p : nodes) {
            if (p != null && p.isAlive()) {
                p.destroy(); // Patroni stops its PostgreSQL on SIGTERM
            }
        }
        for (int i = 0; i < 2; i++) {
            if (nodes[i] != null && !nodes[i].waitFor(20, TimeUnit.SECONDS)) {
                nodes[i].destroyForcibly();
            }
            Path pid = dir.resolve(name(i)).resolve("postmaster.pid");
            if (Files.exists(pid)) {
                killIfOurs(Long.parseLong(Files.readAllLines(pid).get(0).trim()));
            }
        }
        if (etcd != null) {
            etcd.destroy();
            if (!etcd.waitFor(10, TimeUnit.SECONDS)) {
                etcd.destroyForcibly();
            }
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
