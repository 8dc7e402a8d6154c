package io.regionrouter.jdbc.failover;

import static io.regionrouter.jdbc.failover.FailoverFixture.US;
import static org.assertj.core.api.Assertions.assertThat;

import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.ServerKind;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Synchronous replication: a writer counts its acknowledgements; none of them is lost by a failover. */
class SynchronousFailoverIT extends UsFailoverBase {

    /** The embedded server's default is synchronous_commit=off, which never waits for a standby. */
    @RegisterExtension
    static final LocalRegions REGIONS = LocalRegions.builder().region("us", ServerKind.POSTGRES)
            .postgresSetting("synchronous_commit", "on").build();

    @BeforeAll
    static void start() throws Exception {
        startPrimaryAndStandby(REGIONS);
        String standbyName;
        try (Connection c = primary.superuserDataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT application_name FROM pg_stat_replication")) {
            rs.next();
            standbyName = rs.getString(1);
        }
        FailoverFixture.execute(primary.superuserDataSource(), "ALTER SYSTEM SET synchronous_standby_names = '" + standbyName + "'");
        FailoverFixture.execute(primary.superuserDataSource(), "SELECT pg_reload_conf()");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (FailoverFixture.count(primary.superuserDataSource(),
                "SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync'") == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the standby did not become synchronous within 20 s");
            }
            Thread.sleep(50);
        }
        fixture = FailoverFixture.usOnly(primary);
        manager = fixture.manager(primary, standby, Durability.SYNCHRONOUS)
                .config(FailoverConfig.builder().sampleInterval(Duration.ofMillis(200)).build()).build();
    }

    @Test
    void synchronousStandby_noAcknowledgedWriteIsLost_whenThePrimaryIsKilledUnderLoad() throws Exception {
        Set<Long> acked = ConcurrentHashMap.newKeySet();
        Set<Long> ackedAfterFailover = ConcurrentHashMap.newKeySet();
        AtomicBoolean failedOver = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
            for (long id = 1; id < 100_000 && !stop.get() && System.nanoTime() < deadline; id++) {
                try {
                    fixture.write(id);
                    acked.add(id);
                    if (failedOver.get()) {
                        ackedAfterFailover.add(id);
                    }
                } catch (SQLException | RuntimeException e) {
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }, "sync-writer");
        writer.start();
        awaitSize(acked, 100);

        long killedAt = System.nanoTime();
        primary.kill();
        long ackedAtKill = acked.size();
        FailoverCompletedEvent done = fixture.awaitEvent(FailoverCompletedEvent.class, e -> true, Duration.ofSeconds(20));
        long completedAfter = System.nanoTime() - killedAt;
        failedOver.set(true);
        awaitSize(ackedAfterFailover, 20);
        stop.set(true);
        writer.join(10_000);

        FailoverReport report = done.report();
        FailoverFixture.record("sync", "kill->failover complete " + Duration.ofNanos(completedAfter).toMillis()
                + " ms, detection " + report.detection().toMillis() + " ms, promotion " + report.promotion().toMillis()
                + " ms, first write " + report.firstWrite().toMillis() + " ms, acked before kill ~" + ackedAtKill
                + ", acked total " + acked.size());
        assertThat(report.durability()).isEqualTo(Durability.SYNCHRONOUS);
        assertThat(report.synchronousVerified()).isTrue();
        assertThat(report.rpoZero()).isTrue();
        Set<Long> rows = FailoverFixture.ids(standby.superuserDataSource());
        assertThat(rows).containsAll(acked);
        assertThat(ackedAfterFailover).isNotEmpty();
    }

    private static void awaitSize(Set<Long> set, int atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (set.size() < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + set.size() + " acknowledged writes within 20 s, expected " + atLeast);
            }
            Thread.sleep(20);
        }
    }
}
