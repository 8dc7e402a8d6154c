package io.regionrouter.jdbc.failover;

import static io.regionrouter.jdbc.failover.FailoverFixture.US;
import static org.assertj.core.api.Assertions.assertThat;

import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.ServerKind;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The primary dies: the manager detects it, promotes the standby, and writes through the router
 * resume there. Then the old primary comes back: it is reported and never written to again.
 */
class FailoverIT extends UsFailoverBase {

    @RegisterExtension
    static final LocalRegions REGIONS = LocalRegions.builder().region("us", ServerKind.POSTGRES).build();

    @BeforeAll
    static void start() throws Exception {
        startPrimaryAndStandby(REGIONS);
        fixture = FailoverFixture.usOnly(primary);
        manager = fixture.manager(primary, standby, Durability.ASYNCHRONOUS).build();
    }

    @Test
    void killedPrimary_isFailedOverToTheStandby_writesResumeThere_andTheReturningOldPrimaryIsFencedNotUsed() throws Exception {
        for (long id = 1; id <= 20; id++) {
            fixture.write(id);
        }
        Thread.sleep(manager.config().sampleInterval().toMillis() + 200); // at least one WAL sample after the writes

        long killedAt = System.nanoTime();
        primary.kill();
        FailoverCompletedEvent done = fixture.awaitEvent(FailoverCompletedEvent.class, e -> true, Duration.ofSeconds(20));
        long failedOverAfter = System.nanoTime() - killedAt;
        long firstRoutedWrite = fixture.writeUntilAccepted(1000, Duration.ofSeconds(10));

        FailoverReport report = done.report();
        FailoverFixture.record("kill", "kill->failover complete " + Duration.ofNanos(failedOverAfter).toMillis() + " ms, detection "
                + report.detection().toMillis() + " ms, promotion " + report.promotion().toMillis() + " ms, first write "
                + report.firstWrite().toMillis() + " ms, first routed write after completion "
                + Duration.ofNanos(firstRoutedWrite).toMillis() + " ms, walBytesLost>=" + report.walBytesLost());
        assertThat(report.trigger()).isEqualTo(Trigger.DETECTED);
        assertThat(report.epoch()).isEqualTo(1);
        assertThat(report.walBytesLostExact()).isFalse();
        assertThat(report.durability()).isEqualTo(Durability.ASYNCHRONOUS);
        assertThat(report.detection()).isPositive();
        assertThat(fixture.pg.epoch(US)).isEqualTo(1);
        assertThat(FailoverFixture.inRecovery(standby)).isFalse();
        assertThat(fixture.pg.pool(US).getJdbcUrl()).isEqualTo(standby.jdbcUrl());
        Set<Long> onNewPrimary = FailoverFixture.ids(standby.superuserDataSource());
        assertThat(onNewPrimary).contains(1000L);
        long lost = 20 - onNewPrimary.stream().filter(id -> id <= 20).count();
        FailoverFixture.record("kill", "acknowledged rows lost in asynchronous mode: " + lost);
        assertThat(manager.lastReport(US)).contains(report);
        // the router's health probe now checks the new primary: with the old, dead one it would be DOWN
        // again after 4 failed probes of 500 ms
        Thread.sleep(2500);
        assertThat(fixture.health.isUp(US, io.regionrouter.core.Store.POSTGRES)).isTrue();
        fixture.write(1001);

        // the old primary comes back, writable, with its old data
        primary.restart();
        OldPrimaryReturnedEvent returned = fixture.awaitEvent(OldPrimaryReturnedEvent.class, e -> true, Duration.ofSeconds(15));
        assertThat(returned.endpoint()).isEqualTo("us-primary");
        assertThat(returned.fencedEpoch()).isZero();
        assertThat(returned.walBytesAhead()).isGreaterThanOrEqualTo(0);
        assertThat(FailoverFixture.inRecovery(primary)).isFalse();
        for (long id = 2000; id < 2010; id++) {
            fixture.write(id);
        }
        assertThat(FailoverFixture.ids(primary.superuserDataSource())).noneMatch(id -> id >= 1000);
        assertThat(FailoverFixture.ids(standby.superuserDataSource())).contains(2000L, 2009L);
        assertThat(fixture.eventsOf(OldPrimaryReturnedEvent.class)).hasSize(1);
        assertThat(fixture.eventsOf(FailoverCompletedEvent.class)).hasSize(1);
    }
}
