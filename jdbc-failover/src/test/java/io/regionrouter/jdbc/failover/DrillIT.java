package io.regionrouter.jdbc.failover;

import static io.regionrouter.jdbc.failover.FailoverFixture.US;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.ServerKind;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The failover drill: a controlled switchover under write load, with its report. */
class DrillIT extends UsFailoverBase {

    @RegisterExtension
    static final LocalRegions REGIONS = LocalRegions.builder().region("us", ServerKind.POSTGRES).build();

    private static final List<String> hooks = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        startPrimaryAndStandby(REGIONS);
        fixture = FailoverFixture.usOnly(primary);
        manager = fixture.manager(primary, standby, Durability.ASYNCHRONOUS)
                .promotionListener(new PromotionListener() {
                    @Override
                    public void beforePromotion(io.regionrouter.core.Region region, PgEndpoint from, PgEndpoint to, long epoch) {
                        hooks.add("before " + region + " " + from.name() + "->" + to.name() + " epoch " + epoch);
                    }

                    @Override
                    public void afterPromotion(FailoverReport report) {
                        hooks.add("after " + report.region() + " epoch " + report.epoch());
                    }
                }).build();
    }

    @Test
    void drill_switchesOverUnderLoad_losesNoAcknowledgedWrite_andReportsItsTimings() throws Exception {
        Set<Long> acked = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong next = new AtomicLong(1);
        Thread writer = new Thread(() -> {
            long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
            while (!stop.get() && System.nanoTime() < deadline && next.get() < 100_000) {
                long id = next.getAndIncrement();
                try {
                    fixture.write(id);
                    acked.add(id);
                } catch (SQLException | RuntimeException e) {
                    sleep(10);
                }
            }
        }, "drill-writer");
        writer.start();
        awaitAcks(acked, 30);

        FailoverReport report = manager.drill(US);
        long ackedBefore = acked.size();
        awaitAcks(acked, ackedBefore + 30);
        stop.set(true);
        writer.join(10_000);

        FailoverFixture.record("drill", "detection " + report.detection().toMillis() + " ms, promotion "
                + report.promotion().toMillis() + " ms, first write " + report.firstWrite().toMillis() + " ms, walBytesLost "
                + report.walBytesLost() + " (exact), acked writes " + acked.size());
        assertThat(report.trigger()).isEqualTo(Trigger.DRILL);
        assertThat(report.walBytesLostExact()).isTrue();
        assertThat(report.walBytesLost()).isZero();
        assertThat(report.rpoZero()).isTrue();
        assertThat(report.detection()).isPositive();
        // the drill went through the real detection path: the manager's monitor found the primary DOWN
        assertThat(fixture.eventsOf(PrimaryHealthChangedEvent.class))
                .anyMatch(e -> e.region().equals(US) && e.state() == io.regionrouter.core.RegionState.DOWN
                        && e.lastFailure() instanceof io.regionrouter.jdbc.failover.internal.WatchedProbe.SimulatedOutage);
        assertThat(report.promotion()).isPositive();
        assertThat(report.firstWrite()).isPositive();
        // the fence makes the old primary read-only before the standby is promoted: the region's connections are
        // refused in between (one switch), then follow the standby (a second one)
        assertThat(fixture.pg.epoch(US)).isBetween(1L, 2L);
        assertThat(manager.primaryServer(US)).contains("us-standby");
        assertThat(FailoverFixture.ids(standby.superuserDataSource())).containsAll(acked);
        assertThat(hooks).containsExactly("before us us-primary->us-standby epoch 1", "after us epoch 1");
        // the old primary was fenced read-only and is not written to any more
        assertThat(FailoverFixture.inRecovery(primary)).isFalse();
        assertThatThrownBy(() -> FailoverFixture.execute(primary.appDataSource(), "INSERT INTO writes VALUES (-1, 'stray')"))
                .isInstanceOf(SQLException.class).hasMessageContaining("read-only");
        assertThat(fixture.eventsOf(OldPrimaryReturnedEvent.class)).isEmpty();
        assertThatThrownBy(() -> manager.drill(US)).isInstanceOf(FailoverException.class)
                .hasMessageContaining("not ready for a drill");
    }

    private static void awaitAcks(Set<Long> acked, long atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (acked.size() < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + acked.size() + " writes were acknowledged within 20 s, expected " + atLeast);
            }
            Thread.sleep(20);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
