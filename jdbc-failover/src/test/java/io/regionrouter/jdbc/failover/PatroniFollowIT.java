package io.regionrouter.jdbc.failover;

import static io.regionrouter.jdbc.failover.FleetInstance.US;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * FOLLOW against a real HA manager: Patroni 3 on etcd, from Debian's packages. Three application
 * instances without a coordinator write in a loop; Patroni switches the leader over, then the new
 * leader is killed and Patroni elects the other node. Every instance follows each new leader, and no
 * write is acknowledged by an old leader once the new one accepts writes. Skipped, saying why, where
 * the packages are not installed.
 */
class PatroniFollowIT {

    /** One acknowledged write: when it was started and acknowledged (nano time), and by which port. */
    record Ack(String instance, long startedAt, long ackedAt, int port) {
    }

    @Test
    void patroniSwitchoverAndKilledLeader_everyInstanceFollows_andNoWriteReachesAnOldLeader() throws Exception {
        Assumptions.assumeTrue(PatroniCluster.missing().isEmpty(), () -> "Patroni test skipped: " + PatroniCluster.missing().get());
        String appPassword = "a" + UUID.randomUUID().toString().replace("-", "");
        try (PatroniCluster cluster = PatroniCluster.start()) {
            try (Connection c = cluster.superuser(0); Statement s = c.createStatement()) {
                s.execute("CREATE ROLE app LOGIN PASSWORD '" + appPassword + "'");
                s.execute("CREATE TABLE writes (id bigint PRIMARY KEY, note text)");
                s.execute("GRANT SELECT, INSERT ON writes TO app");
            }
            // the replica must have the role and the table before it can be switched to
            awaitReplicated(cluster, 1);
            List<FleetInstance.Server> servers = new ArrayList<>();
            for (int n = 0; n < 2; n++) {
                servers.add(new FleetInstance.Server(cluster.name(n), cluster.jdbcUrl(n), "postgres", cluster.superPassword, "app",
                        appPassword));
            }
            List<FleetInstance> fleet = new ArrayList<>();
            List<Ack> acks = new CopyOnWriteArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong ids = new AtomicLong();
            List<Thread> writers = new ArrayList<>();
            try {
                for (int n = 0; n < 3; n++) {
                    FleetInstance i = FleetInstance.start("app-" + n, servers.get(0), servers.get(1), null);
                    fleet.add(i);
                    Thread t = new Thread(() -> {
                        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
                        while (!stop.get() && System.nanoTime() < deadline) {
                            long started = System.nanoTime();
                            try {
                                int port = i.writeReturningPort(ids.incrementAndGet());
                                acks.add(new Ack(i.name, started, System.nanoTime(), port));
                            } catch (Exception e) {
                                sleep(10);
                            }
                            sleep(5);
                        }
                    }, i.name + "-writer");
                    t.setDaemon(true);
                    writers.add(t);
                    t.start();
                }
                Thread.sleep(1000);

                cluster.switchover(0, 1);
                long node2Writable = awaitWritable(cluster, 1);
                List<Long> switchover = followLatencies(fleet, acks, cluster.pgPorts[1], node2Writable);
                FailoverFixture.record("patroni", "switchover node1 -> node2: first write per instance after node2 accepts writes "
                        + switchover + " ms; acks by node1 after that: " + acksAfter(acks, cluster.pgPorts[0], node2Writable));
                assertThat(acksAfter(acks, cluster.pgPorts[0], node2Writable)).as("writes acknowledged by the old leader").isZero();

                // node1 rejoins as a replica of node2 (Patroni rewinds it); then node2 dies
                long rejoinDeadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (cluster.writable(0) || !replicaStreams(cluster)) {
                    if (System.nanoTime() > rejoinDeadline) {
                        throw new AssertionError("node1 did not rejoin as a replica within 60 s");
                    }
                    Thread.sleep(200);
                }
                long killedAt = System.nanoTime();
                cluster.kill(1);
                long node1Writable = awaitWritable(cluster, 0);
                List<Long> afterKill = followLatencies(fleet, acks, cluster.pgPorts[0], node1Writable);
                FailoverFixture.record("patroni", "leader node2 killed: Patroni elected node1 after "
                        + Duration.ofNanos(node1Writable - killedAt).toMillis() + " ms; first write per instance after node1 accepts"
                        + " writes " + afterKill + " ms; acks by node2 after that: " + acksAfter(acks, cluster.pgPorts[1], node1Writable));
                assertThat(acksAfter(acks, cluster.pgPorts[1], node1Writable)).as("writes acknowledged by the killed leader").isZero();
                for (FleetInstance i : fleet) {
                    assertThat(i.manager.primaryServer(US)).as(i.name).contains("node1");
                }
            } finally {
                stop.set(true);
                for (Thread t : writers) {
                    t.join(10_000);
                }
                fleet.forEach(FleetInstance::close);
            }
        }
    }

    /** Polls until the node's copy has the app role and the writes table (replayed from the leader). */
    private static void awaitReplicated(PatroniCluster cluster, int node) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try (Connection c = cluster.superuser(node); Statement s = c.createStatement();
                    var rs = s.executeQuery("SELECT count(*) FROM pg_roles WHERE rolname = 'app'"
                            + " AND to_regclass('public.writes') IS NOT NULL")) {
                rs.next();
                if (rs.getLong(1) == 1) {
                    return;
                }
            } catch (java.sql.SQLException e) {
                // not accepting connections yet
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(cluster.name(node) + " did not replay the app role and table within 60 s");
            }
            Thread.sleep(100);
        }
    }

    private static boolean replicaStreams(PatroniCluster cluster) {
        try (Connection c = cluster.superuser(0); Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT count(*) FROM pg_stat_wal_receiver WHERE status = 'streaming'")) {
            rs.next();
            return rs.getLong(1) == 1;
        } catch (java.sql.SQLException e) {
            return false;
        }
    }

    /** Polls until the node accepts writes; returns when it first did (nano time). */
    private static long awaitWritable(PatroniCluster cluster, int node) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!cluster.writable(node)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(cluster.name(node) + " did not accept writes within 90 s");
            }
            Thread.sleep(10);
        }
        return System.nanoTime();
    }

    /** For each instance, the time from the new leader accepting writes to its first write acknowledged there. */
    private static List<Long> followLatencies(List<FleetInstance> fleet, List<Ack> acks, int port, long since)
            throws InterruptedException {
        List<Long> out = new ArrayList<>();
        for (FleetInstance i : fleet) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            Long first = null;
            while (first == null) {
                first = acks.stream().filter(a -> a.instance().equals(i.name) && a.port() == port && a.ackedAt() > since).mapToLong(Ack::ackedAt)
                        .boxed().findFirst().orElse(null);
                if (first == null) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError(i.name + " wrote nothing to port " + port + " within 30 s");
                    }
                    Thread.sleep(5);
                }
            }
            out.add(Duration.ofNanos(first - since).toMillis());
        }
        return out;
    }

    private static long acksAfter(List<Ack> acks, int port, long since) {
        return acks.stream().filter(a -> a.port() == port && a.ackedAt() > since).count();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
