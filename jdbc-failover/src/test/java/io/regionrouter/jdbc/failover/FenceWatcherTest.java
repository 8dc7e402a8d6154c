package io.regionrouter.jdbc.failover;

import static io.regionrouter.jdbc.failover.FailoverGroupTest.PRIMARY;
import static io.regionrouter.jdbc.failover.FailoverGroupTest.US;
import static org.assertj.core.api.Assertions.assertThat;

import io.regionrouter.core.RegionEvent;
import io.regionrouter.core.support.EventDispatcher;
import io.regionrouter.jdbc.failover.internal.FenceWatcher;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FenceWatcherTest {

    private final StubAdmin admin = new StubAdmin();
    private final List<RegionEvent> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger handled = new AtomicInteger();
    private final EventDispatcher dispatcher = new EventDispatcher("region-router-failover", List.of());
    private final FenceWatcher watcher;

    FenceWatcherTest() {
        dispatcher.add(events::add);
        watcher = new FenceWatcher(admin, (event, ds) -> {
            handled.incrementAndGet();
            return true;
        }, dispatcher);
        watcher.watch(US, PRIMARY, 1000, 0, false);
    }

    @Test
    void aDeadOldPrimary_isNotReported() {
        watcher.checkAll();
        assertThat(events).isEmpty();
    }

    @Test
    void aReturningWritableOldPrimary_isReportedOnce_withHowFarItsWalRunsAhead() {
        admin.reachable = true;
        admin.writableLsn = 1500;
        watcher.checkAll();
        watcher.checkAll();
        assertThat(events).containsExactly(new OldPrimaryReturnedEvent(US, "us-primary", 0, 500));
        assertThat(handled).hasValue(1);
    }

    @Test
    void anOldPrimaryThatGoesAwayAndReturnsAgain_isReportedAgain() {
        admin.reachable = true;
        admin.writableLsn = 1000;
        watcher.checkAll();
        admin.reachable = false;
        watcher.checkAll();
        admin.reachable = true;
        watcher.checkAll();
        assertThat(events).hasSize(2);
    }

    @Test
    void anOldPrimaryRebuiltAsAStandby_isNotReported() {
        admin.reachable = true;
        admin.writableLsn = -1;
        watcher.checkAll();
        assertThat(events).isEmpty();
    }

    @Test
    void anOldPrimaryTheSwitchoverFencedItself_isReportedOnlyAfterItWentAwayAndCameBack() {
        FenceWatcher w = new FenceWatcher(admin, (e, ds) -> true, dispatcher);
        w.watch(US, PRIMARY, 1000, 0, true);
        admin.reachable = true;
        admin.writableLsn = 1000;
        w.checkAll();
        assertThat(events).isEmpty();
        admin.reachable = false;
        w.checkAll();
        admin.reachable = true;
        w.checkAll();
        assertThat(events).hasSize(1);
    }
}
