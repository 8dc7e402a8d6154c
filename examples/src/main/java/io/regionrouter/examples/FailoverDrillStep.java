package io.regionrouter.examples;

import io.regionrouter.core.HealthConfig;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionEvent;
import io.regionrouter.core.RegionStateChangedEvent;
import io.regionrouter.core.Store;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.StaticRegionDirectory;
import io.regionrouter.core.Topology;
import io.regionrouter.jdbc.RegionPoolConfig;
import io.regionrouter.jdbc.RegionalDataSources;
import io.regionrouter.jdbc.failover.FailoverCompletedEvent;
import io.regionrouter.jdbc.failover.FailoverConfig;
import io.regionrouter.jdbc.failover.FailoverFailedEvent;
import io.regionrouter.jdbc.failover.FailoverGroup;
import io.regionrouter.jdbc.failover.FailoverManager;
import io.regionrouter.jdbc.failover.FailoverReport;
import io.regionrouter.jdbc.failover.PgEndpoint;
import io.regionrouter.jdbc.failover.PrimaryHealthChangedEvent;
import io.regionrouter.testkit.PostgresServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The failover drill with two application instances: the us primary gets a streaming standby; instance
 * A (the demo's services) runs a {@link FailoverManager} with the default {@link FailoverConfig} that
 * may promote, instance B (its own router, health, pool and manager) only follows. The primary is
 * killed: A detects it and promotes the standby, both instances follow it, and writes for a us user
 * resume through each. Then the old primary comes back writable on its old timeline, both keep
 * writing, and the step counts the rows written to the old primary after the kill: it must be 0.
 *
 * <p>It must be the demo's last step: it kills us's PostgreSQL, and the directory table lives there
 * (users routed after this step are served by the directory cache). The standby and the manager are
 * created here, not at start-up, so that the manager's probes play no part in the earlier steps. The
 * manager is handed to {@link DemoServices}, which closes it before the pools and the health monitor.
 */
final class FailoverDrillStep implements DemoStep {

    private static final String USER = "bob";
    private static final String TABLE = "failover_drill";
    /** How long the failover and the first write after the kill may take before the step gives up. */
    private static final Duration FAILOVER_LIMIT = Duration.ofSeconds(15);
    private static final Duration REPLICATION_LIMIT = Duration.ofSeconds(5);
    private static final Duration DETECTION_LIMIT = Duration.ofSeconds(3);

    /** A write through the router: the row's id and the port of the server that stored it. */
    private record Write(long id, int serverPort) {
    }

    /** An event of the manager and when it arrived (nano time). */
    private record Seen(long atNanos, RegionEvent event) {
    }

    @Override
    public String title() {
        return "Failover drill (two instances; the us primary is killed, its standby takes over, the old primary returns)";
    }

    @Override
    public boolean run(DemoContext context) throws Exception {
        DemoServices s = context.services;
        DemoConsole out = context.console;
        Region us = DemoServices.US;
        PostgresServer primary = context.regions.region(us.id()).postgres();
        Region home = s.router.homeRegion(USER);

        s.admin.execute(us.id(), "CREATE TABLE " + TABLE + " (id bigint PRIMARY KEY, user_id text NOT NULL,"
                + " phase text NOT NULL, server_port int NOT NULL DEFAULT inet_server_port())");
        long cloning = System.nanoTime();
        PostgresServer standby = primary.createStandby(us.id());
        context.regions.viewFrom(Demo.LOCAL); // the standby is in us too, so 40 ms away from eu
        cloning = System.nanoTime() - cloning;

        try (Connection onStandby = standby.superuserDataSource().getConnection()) {
            boolean wasStandby = queryBoolean(onStandby, "SELECT pg_is_in_recovery()");
            out.line("standby %s created in us in %s, streaming from %s; in recovery (read-only): %s",
                    standby.name(), Measurements.seconds(Duration.ofNanos(cloning)), primary.name(), yesNo(wasStandby));

            List<Seen> events = new CopyOnWriteArrayList<>();
            CompletableFuture<FailoverReport> completed = new CompletableFuture<>();
            // instance A may promote: it is the only one that does (singleInstance() says so; a fleet uses a Coordinator)
            FailoverManager manager = s.closeWithServices(FailoverManager.builder(s.postgres)
                    .group(group(us, primary, standby)).singleInstance().instanceName("demo-a")
                    .listener(event -> record(event, events, completed))
                    .build());
            // instance B: its own router, health, pool and failover manager; it only follows
            SecondInstance b = s.closeWithServices(SecondInstance.start(us, home, USER, primary, group(us, primary, standby)));
            out.line("two application instances: A (the demo's services, may promote) and B (own router, health, pool;"
                    + " follows only); both write to %s", b.manager.primaryServer(us).orElse("NOTHING"));
            HealthConfig probes = manager.config().health();
            out.line("failover manager watching %s: a probe every %d ms, DOWN after %d lost, %d confirmations;"
                    + " worst-case detection %s", primary.name(), probes.interval().toMillis(),
                    probes.failureThreshold(), manager.config().confirmations(),
                    seconds(manager.config().worstCaseDetection().toNanos()).trim());
            boolean watching = Measurements.awaitUpTo(REPLICATION_LIMIT, () -> manager.probeStats(us).successes() > 0)
                    != null;
            if (!watching) {
                out.line("the manager's probes of %s did not succeed once within %s", primary.name(),
                        Measurements.seconds(REPLICATION_LIMIT));
            }

            long epochBefore = s.postgres.epoch(us);
            Write before = write(s, 1, "before");
            boolean beforeOnPrimary = before.serverPort() == primary.directPort();
            Duration replicated = awaitRow(onStandby, before, REPLICATION_LIMIT);
            out.line("%s (home %s) wrote row %d through the router: stored by %s, on the standby %s",
                    USER, home, before.id(), serverName(before, primary, standby),
                    replicated == null ? "NOT within " + Measurements.seconds(REPLICATION_LIMIT)
                            : "after " + Measurements.millis(replicated.toNanos()));

            int stateChangesBefore = s.stateChanges.size();
            long killedAt = System.nanoTime();
            primary.kill();
            long deadAt = System.nanoTime();
            out.line("%s killed (PostgreSQL fast shutdown); %s keeps writing through the router", primary.name(), USER);

            Map<String, Integer> refused = new TreeMap<>();
            Write after = writeUntilAcknowledged(s, deadAt + FAILOVER_LIMIT.toNanos(), completed, refused);
            long firstAckAt = System.nanoTime();
            FailoverReport report = awaitReport(completed, killedAt + FAILOVER_LIMIT.toNanos());

            printTimeline(out, events, killedAt);
            printRouterHealth(out, s, stateChangesBefore, us);
            if (after == null) {
                out.line("no write for %s was acknowledged within %s of the kill; refused: %s", USER,
                        Measurements.seconds(FAILOVER_LIMIT), describe(refused));
            } else {
                out.line("first write acknowledged after the kill: row %d, stored by %s; refused before it: %s",
                        after.id(), serverName(after, primary, standby), describe(refused));
            }
            boolean afterOnStandby = after != null && after.serverPort() == standby.directPort()
                    && queryLong(onStandby, "SELECT count(*) FROM " + TABLE + " WHERE id = ? AND server_port = ?",
                            after.id(), standby.directPort()) == 1;
            boolean beforeKept = queryLong(onStandby, "SELECT count(*) FROM " + TABLE + " WHERE id = ?", before.id()) == 1;
            boolean promoted = !queryBoolean(onStandby, "SELECT pg_is_in_recovery()");
            out.line("on %s itself (superuser): %s; row %s: %s; row %d from before the kill: %s",
                    standby.name(), promoted ? "promoted, out of recovery" : "STILL IN RECOVERY",
                    after == null ? "-" : after.id(), afterOnStandby ? "present" : "MISSING", before.id(),
                    beforeKept ? "present" : "MISSING");

            // instance B follows the promotion it did not make
            Write afterOnB = b.writeUntilAcknowledged(TABLE, 5000, System.nanoTime() + FAILOVER_LIMIT.toNanos());
            boolean bFollowed = afterOnB != null && afterOnB.serverPort() == standby.directPort();
            out.line("instance B: first write after the kill stored by %s; B now writes to %s", afterOnB == null ? "NOBODY"
                    : serverName(afterOnB, primary, standby), b.manager.primaryServer(us).orElse("nothing"));

            // the old primary comes back, writable, on its old timeline; both instances keep writing
            primary.restart();
            boolean oldWritable;
            long onOldAfterKill;
            try (Connection onOld = primary.superuserDataSource().getConnection()) {
                oldWritable = !queryBoolean(onOld, "SELECT pg_is_in_recovery()");
                for (int k = 0; k < 10; k++) {
                    write(s, 6000 + k, "returned");
                    b.write(TABLE, 7000 + k, "returned");
                }
                onOldAfterKill = queryLong(onOld, "SELECT count(*) FROM " + TABLE + " WHERE id >= 2 AND phase <> 'before'");
            }
            long onNewAfterReturn = queryLong(onStandby, "SELECT count(*) FROM " + TABLE + " WHERE phase = 'returned'");
            out.line("%s restarted: writable again (%s), on its old timeline; 10 writes each from A and B afterwards:"
                    + " %d on %s, rows written after the kill found on %s: %d", primary.name(), yesNo(oldWritable),
                    onNewAfterReturn, standby.name(), primary.name(), onOldAfterKill);

            long epochAfter = s.postgres.epoch(us);
            out.line("epoch of us: %d -> %d (connections of epoch %d are never handed out again)", epochBefore, epochAfter,
                    epochBefore);
            boolean detectedInTime = report != null && report.detection().compareTo(DETECTION_LIMIT) <= 0;
            if (report == null) {
                out.line("no FailoverCompletedEvent within %s of the kill", Measurements.seconds(FAILOVER_LIMIT));
            } else {
                printTimings(out, report, killedAt, deadAt, firstAckAt, after != null, events);
            }
            return wasStandby && watching && beforeOnPrimary && replicated != null && report != null
                    && report.epoch() == epochAfter && epochAfter == epochBefore + 1 && promoted && afterOnStandby
                    && beforeKept && detectedInTime && bFollowed && onOldAfterKill == 0 && onNewAfterReturn == 20;
        }
    }

    /** A second application instance: its own health, router, pool and failover manager, following only. */
    private static final class SecondInstance implements AutoCloseable {
        final RegionHealth health;
        final RegionalDataSources pg;
        final FailoverManager manager;
        final String user;

        private SecondInstance(RegionHealth health, RegionalDataSources pg, FailoverManager manager, String user) {
            this.health = health;
            this.pg = pg;
            this.manager = manager;
            this.user = user;
        }

        static SecondInstance start(Region us, Region home, String user, PostgresServer primary, FailoverGroup group) {
            RegionHealth health = RegionHealth.builder().build();
            RegionRouter router = RegionRouter.builder(Topology.builder().regions(us.id()).local(us.id()).primary(us.id()).build())
                    .directory(StaticRegionDirectory.builder().user(user, home).build()).health(health).build();
            RegionalDataSources pg = RegionalDataSources.builder(router).region(us, RegionPoolConfig.builder().allowPlaintext(true)
                    .jdbcUrl(primary.jdbcUrl()).username(primary.appUser()).password(primary.appPassword()).maximumPoolSize(2).build())
                    .build();
            FailoverManager manager = FailoverManager.builder(pg).group(group).instanceName("demo-b").build();
            return new SecondInstance(health, pg, manager, user);
        }

        Write write(String table, long id, String phase) throws SQLException {
            try (Connection c = pg.forUser(user).getConnection();
                    PreparedStatement ps = c.prepareStatement("INSERT INTO " + table
                            + " (id, user_id, phase) VALUES (?, ?, ?) RETURNING id, server_port")) {
                ps.setLong(1, id);
                ps.setString(2, user);
                ps.setString(3, phase);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new Write(rs.getLong(1), rs.getInt(2));
                }
            }
        }

        Write writeUntilAcknowledged(String table, long firstId, long deadlineNanos) throws InterruptedException {
            for (long id = firstId; System.nanoTime() - deadlineNanos < 0; id++) {
                try {
                    return write(table, id, "after-b");
                } catch (SQLException | RuntimeException e) {
                    Thread.sleep(20);
                }
            }
            return null;
        }

        @Override
        public void close() {
            manager.close();
            pg.close();
            health.close();
        }
    }

    private static FailoverGroup group(Region us, PostgresServer primary, PostgresServer standby) {
        return FailoverGroup.builder(us)
                .primary(new PgEndpoint(primary.name(), us, primary.jdbcUrl(), primary.superUser(), primary.superPassword()).allowingPlaintext())
                .standby(new PgEndpoint(standby.name(), us, standby.jdbcUrl(), standby.superUser(), standby.superPassword()).allowingPlaintext())
                .standbyPool(RegionPoolConfig.builder().allowPlaintext(true) // the application's role, as on the primary
                        .jdbcUrl(standby.jdbcUrl())
                        .username(standby.appUser())
                        .password(standby.appPassword())
                        .maximumPoolSize(2)
                        .build())
                .build();
    }

    /** The manager's listener: runs on its threads, so it only records and completes. */
    private static void record(RegionEvent event, List<Seen> events, CompletableFuture<FailoverReport> completed) {
        events.add(new Seen(System.nanoTime(), event));
        if (event instanceof FailoverCompletedEvent done) {
            completed.complete(done.report());
        } else if (event instanceof FailoverFailedEvent failed) {
            completed.completeExceptionally(new IllegalStateException(
                    "failover of " + failed.region() + " failed at step " + failed.step(), failed.cause()));
        }
    }

    /**
     * Writes a row for the user through the router, as the application role. Autocommit, so it is
     * acknowledged on return. Every attempt has an id of its own, so a retry never meets a row that
     * an earlier attempt committed without an acknowledgement.
     */
    private static Write write(DemoServices s, long id, String phase) throws SQLException {
        try (Connection c = s.postgres.forUser(USER).getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE
                        + " (id, user_id, phase) VALUES (?, ?, ?) RETURNING id, server_port")) {
            ps.setLong(1, id);
            ps.setString(2, USER);
            ps.setString(3, phase);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("INSERT ... RETURNING returned no row");
                }
                return new Write(rs.getLong(1), rs.getInt(2));
            }
        }
    }

    /**
     * Writes until one write, started after the kill, is acknowledged; counts the refusals by
     * exception type. Stops at {@code deadlineNanos} or when the failover has failed.
     */
    private static Write writeUntilAcknowledged(DemoServices s, long deadlineNanos, CompletableFuture<FailoverReport> completed,
            Map<String, Integer> refused) throws InterruptedException {
        for (long id = 2; System.nanoTime() - deadlineNanos < 0 && !completed.isCompletedExceptionally(); id++) {
            try {
                return write(s, id, "after");
            } catch (SQLException | RuntimeException e) {
                refused.merge(e.getClass().getSimpleName(), 1, Integer::sum);
                Thread.sleep(20);
            }
        }
        return null;
    }

    /** Waits for the report until the deadline; null if it did not come. A failed failover is thrown. */
    private static FailoverReport awaitReport(CompletableFuture<FailoverReport> completed, long deadlineNanos)
            throws Exception {
        try {
            return completed.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return null;
        }
    }

    private static Duration awaitRow(Connection onStandby, Write row, Duration limit) throws SQLException, InterruptedException {
        long start = System.nanoTime();
        while (System.nanoTime() - start < limit.toNanos()) {
            if (queryLong(onStandby, "SELECT count(*) FROM " + TABLE + " WHERE id = ?", row.id()) == 1) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            Thread.sleep(20);
        }
        return null;
    }

    private static void printTimeline(DemoConsole out, List<Seen> events, long killedAt) {
        List<String> lines = new ArrayList<>();
        for (Seen seen : events) {
            if (seen.atNanos() - killedAt < 0) {
                continue; // the monitor's start-up, before the kill
            }
            String at = String.format("+%.2f s", (seen.atNanos() - killedAt) / 1e9);
            if (seen.event() instanceof PrimaryHealthChangedEvent change) {
                lines.add(at + " manager: " + change.endpoint() + " " + change.state());
            } else {
                lines.add(at + " manager: " + seen.event().getClass().getSimpleName());
            }
        }
        out.line("after the kill: %s", lines.isEmpty() ? "no events" : String.join("; ", lines));
    }

    private static void printRouterHealth(DemoConsole out, DemoServices s, int from, Region region) {
        List<String> changes = new ArrayList<>();
        List<RegionStateChangedEvent> all = s.stateChanges;
        for (RegionStateChangedEvent change : all.subList(from, all.size())) {
            if (change.region().equals(region) && change.store().equals(Store.POSTGRES)) {
                changes.add(change.from() + " -> " + change.to());
            }
        }
        out.line("router health of %s meanwhile: %s (while DOWN, %s's writes fail closed)", region,
                changes.isEmpty() ? "no change" : String.join(", ", changes), USER);
    }

    private static void printTimings(DemoConsole out, FailoverReport r, long killedAt, long killReturnedAt, long firstAckAt,
            boolean acked, List<Seen> events) {
        long completedAt = events.stream().filter(e -> e.event() instanceof FailoverCompletedEvent)
                .mapToLong(Seen::atNanos).findFirst().orElse(killedAt);
        out.line("timings from the FailoverReport (trigger %s, %s -> %s):", r.trigger(), r.from(), r.to());
        out.line("  detection    %s  last good probe -> failure confirmed (required: at most %s)",
                seconds(r.detection().toNanos()), seconds(DETECTION_LIMIT.toNanos()).trim());
        out.line("  promotion    %s  pg_promote(wait => true), then the writability check, each on a fresh admin"
                + " connection across the 40 ms link", seconds(r.promotion().toNanos()));
        out.line("  first write  %s  pool on the standby (its login crosses the 40 ms link), switch, first write",
                seconds(r.firstWrite().toNanos()));
        out.line("measured by the demo, from the start of kill() (which itself took %s):",
                seconds(killReturnedAt - killedAt).trim());
        out.line("  %s  kill -> FailoverCompletedEvent", seconds(completedAt - killedAt));
        out.line("  %s  kill -> first acknowledged write through the router",
                acked ? seconds(firstAckAt - killedAt) : "  none");
        out.line("WAL lost: %d bytes (%s)", r.walBytesLost(), r.walBytesLostExact() ? "exact"
                : "a lower bound: the primary was dead, so from the manager's last sample of it");
    }

    private static String seconds(long nanos) {
        return String.format("%6.2f s", nanos / 1e9);
    }

    private static boolean queryBoolean(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("query returned no row: " + sql);
            }
            return rs.getBoolean(1);
        }
    }

    private static long queryLong(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("query returned no row: " + sql);
                }
                return rs.getLong(1);
            }
        }
    }

    private static String serverName(Write w, PostgresServer primary, PostgresServer standby) {
        if (w.serverPort() == primary.directPort()) {
            return primary.name();
        }
        return w.serverPort() == standby.directPort() ? standby.name() : "an unknown server (port " + w.serverPort() + ")";
    }

    private static String describe(Map<String, Integer> refused) {
        if (refused.isEmpty()) {
            return "nothing";
        }
        List<String> parts = new ArrayList<>();
        refused.forEach((type, count) -> parts.add(count + " x " + type));
        return String.join(", ", parts);
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "NO";
    }
}
