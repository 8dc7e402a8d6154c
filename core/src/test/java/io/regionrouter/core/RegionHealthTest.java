package io.regionrouter.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Drives {@link RegionHealth} with a manual scheduler whose virtual clock is also the health
 * ticker: no sleeps, every timing is exact.
 */
class RegionHealthTest {

    private static final Region EU = Region.of("eu");
    private static final Region US = Region.of("us");
    private static final Region AP = Region.of("ap");
    private static final Duration MS = Duration.ofMillis(1);

    private final ManualScheduler scheduler = new ManualScheduler();
    private final RecordingListener listener = new RecordingListener();
    private RegionHealth health;

    @AfterEach
    void close() {
        if (health != null) {
            health.close();
        }
    }

    private RegionHealth health(HealthConfig config, Executor probeExecutor) {
        health = RegionHealth.builder().config(config).scheduler(scheduler).ticker(scheduler::nanoTime)
                .probeExecutor(probeExecutor).listener(listener).build();
        return health;
    }

    private RegionHealth health() {
        return health(HealthConfig.defaults(), Runnable::run);
    }

    private static HealthConfig thresholds(int failures, int successes) {
        return HealthConfig.builder().failureThreshold(failures).successThreshold(successes).minimumCalls(1).build();
    }

    private void advanceMillis(long millis) {
        scheduler.advance(Duration.ofMillis(millis));
    }

    private List<RegionStateChangedEvent> changes() {
        return listener.events(RegionStateChangedEvent.class);
    }

    @Test
    void unregisteredRegion_isAlwaysUp_andItsResultsAreIgnored() {
        RegionHealth h = health();
        for (int i = 0; i < 10; i++) {
            h.recordFailure(EU, Store.POSTGRES, new IOException("x"));
        }
        assertThat(h.isUp(EU, Store.POSTGRES)).isTrue();
        assertThat(h.state(EU, Store.POSTGRES)).isEqualTo(RegionState.UP);
        assertThat(changes()).isEmpty();
    }

    @Test
    void register_startsUp_andProbesAtOnceThenEveryInterval() {
        ScriptedProbe probe = new ScriptedProbe();
        RegionHealth h = health();
        h.register(EU, Store.POSTGRES, probe);
        assertThat(h.state(EU, Store.POSTGRES)).isEqualTo(RegionState.UP);
        assertThat(probe.calls()).isZero();
        scheduler.runDue();
        assertThat(probe.calls()).isEqualTo(1);
        advanceMillis(499);
        assertThat(probe.calls()).isEqualTo(1);
        advanceMillis(1);
        assertThat(probe.calls()).isEqualTo(2);
        advanceMillis(1000);
        assertThat(probe.calls()).isEqualTo(4);
        assertThat(probe.lastTimeout()).isEqualTo(HealthConfig.DEFAULT_TIMEOUT);
        assertThat(h.registeredRegions()).containsExactly(EU);
    }

    @Test
    void failureThresholdConsecutiveFailures_markDown_andNotBefore() {
        ScriptedProbe probe = new ScriptedProbe().healthy(false);
        RegionHealth h = health();
        h.register(EU, Store.POSTGRES, probe);
        scheduler.runDue();
        advanceMillis(1000);
        assertThat(probe.calls()).isEqualTo(3);
        assertThat(h.isUp(EU, Store.POSTGRES)).as("three failures are below the default threshold of four").isTrue();
        advanceMillis(500);
        assertThat(h.state(EU, Store.POSTGRES)).isEqualTo(RegionState.DOWN);
        assertThat(changes()).hasSize(1);
        RegionStateChangedEvent e = changes().get(0);
        assertThat(e.region()).isEqualTo(EU);
        assertThat(e.from()).isEqualTo(RegionState.UP);
        assertThat(e.to()).isEqualTo(RegionState.DOWN);
        assertThat(e.lastFailure()).isInstanceOf(IOException.class).hasMessage("probe #4 failed");
    }

    @Test
    void aSuccessBetweenFailures_keepsTheRegionUp() {
        ScriptedProbe probe = new ScriptedProbe().then(false, false, false, true, false, false, false, true);
        RegionHealth h = health();
        h.register(EU, Store.POSTGRES, probe);
        scheduler.runDue();
        advanceMillis(3500);
        assertThat(probe.calls()).isEqualTo(8);
        assertThat(h.isUp(EU, Store.POSTGRES)).isTrue();
        assertThat(changes()).isEmpty();
    }

    @Test
    void successThresholdConsecutiveSuccesses_bringTheRegionBack() {
        ScriptedProbe probe = new ScriptedProbe().healthy(false);
        RegionHealth h = health();
        h.register(EU, Store.POSTGRES, probe);
        scheduler.runDue();
        advanceMillis(1500);
        assertThat(h.isUp(EU, Store.POSTGRES)).isFalse();

        probe.healthy(true);
        advanceMillis(500);
        assertThat(h.isUp(EU, Store.POSTGRES)).as("one success is below the default threshold of two").isFalse();
        advanceMillis(500);
        assertThat(h.isUp(EU, Store.POSTGRES)).isTrue();
        assertThat(changes()).extracting(RegionStateChangedEvent::to).containsExactly(RegionState.DOWN, RegionState.UP);
        assertThat(changes().get(1).lastFailure()).isNull();
    }

    @Test
    void hungProbe_marksDeadRegionDownAfter1900ms_withDefaults_andNeverOverlaps() {
        ManualExecutor neverRuns = new ManualExecutor();
        RegionHealth h = health(HealthConfig.defaults(), neverRuns);
        h.register(EU, Store.POSTGRES, new ScriptedProbe());
        scheduler.runDue();
        assertThat(neverRuns.submitted()).isEqualTo(1);

        // timeout at 400 ms is failure 1; the slots at 500, 1000 and 1500 find it still running and
        // count a failure one timeout later: 900, 1400, 1900
        advanceMillis(1899);
        assertThat(h.isUp(EU, Store.POSTGRES)).isTrue();
        advanceMillis(1);
        assertThat(h.isUp(EU, Store.POSTGRES)).isFalse();
        assertThat(changes().get(0).lastFailure()).isInstanceOf(TimeoutException.class)
                .hasMessageContaining("eu/postgres").hasMessageContaining("PT0.4S");

        advanceMillis(10_000);
        assertThat(neverRuns.submitted()).as("no second probe while the first one hangs").isEqualTo(1);
        assertThat(changes()).hasSize(1);
    }

    @Test
    void regionFrozenRightAfterASuccessfulProbe_isDown2400msLater_withDefaults() {
        AtomicBoolean frozen = new AtomicBoolean();
        ManualExecutor hung = new ManualExecutor();
        // while the region answers, probes run at once; once it is frozen they never return
        Executor region = command -> {
            if (frozen.get()) {
                hung.execute(command);
            } else {
                command.run();
            }
        };
        RegionHealth h = health(HealthConfig.defaults(), region);
        h.register(EU, Store.POSTGRES, new ScriptedProbe());
        scheduler.runDue();
        advanceMillis(1);
        frozen.set(true);
        // probe at 500 hangs: failures at 900, 1400, 1900 and 2400 (slot start + timeout)
        advanceMillis(2398);
        assertThat(h.isUp(EU, Store.POSTGRES)).isTrue();
        advanceMillis(1);
        assertThat(h.isUp(EU, Store.POSTGRES)).isFalse();
        assertThat(hung.submitted()).isEqualTo(1);
    }

    @Test
    void threeLostProbesInARow_neverMarkDown_withDefaults() {
        ScriptedProbe probe = new ScriptedProbe();
        for (int i = 0; i < 250; i++) {
            probe.then(false, false, false, true);
        }
        RegionHealth h = health();
        h.register(EU, Store.POSTGRES, probe);
        scheduler.runDue();
        scheduler.advance(Duration.ofMillis(500L * 999));
        assertThat(probe.calls()).isEqualTo(1000);
        assertThat(changes()).isEmpty();
        assertThat(h.isUp(EU, Store.POSTGRES)).isTrue();
    }

    @Test
    void probeLingeringBrieflyAfterItsTimeout_costsOnlyOneFailure() {
        ManualExecutor executor = new ManualExecutor();
        RegionHealth h = health(thresholds(2, 1), executor);
        h.register(EU, Store.POSTGRES, new ScriptedProbe());
        scheduler.runDue();
        advanceMillis(400); // timed out: failure 1
        advanceMillis(100); // slot at 500 is skipped: the probe is still running
        assertThat(executor.submitted()).isEqualTo(1);
        executor.runAll(); // the probe finally returns, before the skipped slot's timeout at 900
        advanceMillis(400);
        assertThat(h.isUp(EU, Store.POSTGRES)).as("the skipped slot must not count as a second failure").isTrue();
        advanceMillis(100);
        assertThat(executor.submitted()).as("probing resumed at the slot at 1000").isEqualTo(2);
    }

    @Test
    void probeThatTimedOut_isSkippedIfNotStarted_andProbingResumesAfterItReturns() {
        ManualExecutor executor = new ManualExecutor();
        ScriptedProbe probe = new ScriptedProbe();
        RegionHealth h = health(HealthConfig.defaults(), executor);
        h.register(EU, Store.POSTGRES, probe);
        scheduler.runDue();
        advanceMillis(400);
        executor.runAll();
        assertThat(probe.calls()).as("a probe cancelled before it started does not run").isZero();

        advanceMillis(100);
        assertThat(executor.submitted()).isEqualTo(2);
        executor.runAll();
        assertThat(probe.calls()).isEqualTo(1);
        assertThat(h.isUp(EU, Store.POSTGRES)).isTrue();
    }

    @Test
    void lateSuccessOfATimedOutProbe_isIgnored_andItsThreadIsInterrupted() {
        ManualExecutor executor = new ManualExecutor();
        AtomicReference<Boolean> interruptedInsideProbe = new AtomicReference<>();
        HealthProbe slow = timeout -> {
            scheduler.advance(timeout); // time passes while the probe runs: the timeout fires meanwhile
            interruptedInsideProbe.set(Thread.currentThread().isInterrupted());
        };
        RegionHealth h = health(thresholds(1, 1), executor);
        h.register(EU, Store.POSTGRES, slow);
        scheduler.runDue();
        executor.runAll();
        boolean interrupted = Thread.interrupted(); // clear the flag the monitor set on this (probe) thread
        assertThat(interruptedInsideProbe.get()).isTrue();
        assertThat(interrupted).isTrue();
        assertThat(h.isUp(EU, Store.POSTGRES)).as("the success after the timeout must not count").isFalse();
    }

    @Test
    void hungProbeOnARealThread_isInterruptedAtTheTimeout() throws Exception {
        ExecutorService probeThreads = Executors.newSingleThreadExecutor();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        try {
            RegionHealth h = health(thresholds(1, 1), probeThreads);
            h.register(EU, Store.POSTGRES, timeout -> {
                started.countDown();
                try {
                    new CountDownLatch(1).await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    interrupted.countDown();
                    throw e;
                }
            });
            scheduler.runDue();
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                // the probe hangs, but nothing a caller does waits for it
                h.recordSuccess(EU, Store.POSTGRES);
                assertThat(h.isUp(EU, Store.POSTGRES)).isTrue();
            });
            advanceMillis(400);
            assertThat(h.isUp(EU, Store.POSTGRES)).isFalse();
            assertThat(interrupted.await(10, TimeUnit.SECONDS)).as("probe thread interrupted").isTrue();
        } finally {
            probeThreads.shutdownNow();
        }
    }

    @Test
    void realCalls_areJudgedByFailureRate_onlyOnceTheWindowHoldsTheMinimumCalls() {
        RegionHealth h = health();
        h.register(EU, Store.POSTGRES, new ScriptedProbe());
        for (int i = 0; i < HealthConfig.DEFAULT_MINIMUM_CALLS - 1; i++) {
            h.recordFailure(EU, Store.POSTGRES, new IOException("call " + i));
        }
        assertThat(h.isUp(EU, Store.POSTGRES)).as("a burst below the minimum number of calls is not an outage").isTrue();
        IOException last = new IOException("the call that completes the minimum");
        h.recordFailure(EU, Store.POSTGRES, last);
        assertThat(h.isUp(EU, Store.POSTGRES)).isFalse();
        assertThat(changes().get(0).lastFailure()).isSameAs(last);
        assertThat(changes().get(0).store()).isEqualTo(Store.POSTGRES);
    }

    @Test
    void realCalls_belowTheFailureRate_neverMarkAStoreDown() {
        RegionHealth h = health();
        h.register(EU, Store.POSTGRES, new ScriptedProbe());
        for (int i = 0; i < 200; i++) {
            h.recordSuccess(EU, Store.POSTGRES);
            h.recordSuccess(EU, Store.POSTGRES);
            h.recordFailure(EU, Store.POSTGRES, new IOException("one in three fails"));
        }
        assertThat(h.isUp(EU, Store.POSTGRES)).isTrue();
        assertThat(changes()).isEmpty();
    }

    @Test
    void realCallFailures_fallOutOfTheWindow() {
        RegionHealth h = health();
        h.register(EU, Store.POSTGRES, new ScriptedProbe());
        scheduler.runDue();
        for (int i = 0; i < 15; i++) {
            h.recordFailure(EU, Store.POSTGRES, new IOException("old " + i));
        }
        advanceMillis(HealthConfig.DEFAULT_CALL_WINDOW.toMillis() + 1000);
        for (int i = 0; i < 15; i++) {
            h.recordFailure(EU, Store.POSTGRES, new IOException("new " + i));
        }
        assertThat(h.isUp(EU, Store.POSTGRES)).as("15 + 15 failures, but never 20 within one window").isTrue();
        for (int i = 0; i < 5; i++) {
            h.recordFailure(EU, Store.POSTGRES, new IOException("more " + i));
        }
        assertThat(h.isUp(EU, Store.POSTGRES)).isFalse();
    }

    @Test
    void onlyProbesBringAStoreBackUp() {
        RegionHealth h = health(thresholds(1, 2), Runnable::run);
        h.register(EU, Store.POSTGRES, new ScriptedProbe());
        h.recordFailure(EU, Store.POSTGRES, new IOException("unreachable"));
        assertThat(h.isUp(EU, Store.POSTGRES)).isFalse();
        for (int i = 0; i < 100; i++) {
            h.recordSuccess(EU, Store.POSTGRES);
        }
        assertThat(h.isUp(EU, Store.POSTGRES)).isFalse();
        scheduler.runDue();
        advanceMillis(500);
        assertThat(h.isUp(EU, Store.POSTGRES)).isTrue();
    }

    @Test
    void realCallSuccesses_neverMaskFailingProbes() {
        ScriptedProbe probe = new ScriptedProbe().healthy(false);
        RegionHealth h = health();
        h.register(EU, Store.POSTGRES, probe);
        scheduler.runDue();
        advanceMillis(1000);
        h.recordSuccess(EU, Store.POSTGRES);
        advanceMillis(500);
        assertThat(probe.calls()).isEqualTo(4);
        assertThat(h.isUp(EU, Store.POSTGRES)).isFalse();
    }

    @Test
    void storesOfOneRegion_haveSeparateVerdicts_andSeparateScheduleSlots() {
        Store redis = Store.REDIS;
        ScriptedProbe pg = new ScriptedProbe();
        ScriptedProbe cache = new ScriptedProbe().healthy(false);
        RegionHealth h = health();
        h.register(EU, Store.POSTGRES, pg);
        h.register(EU, redis, cache);
        assertThat(scheduler.periodicTaskCount()).isEqualTo(2);
        scheduler.runDue();
        advanceMillis(2000);
        assertThat(h.isUp(EU, redis)).isFalse();
        assertThat(h.isUp(EU, Store.POSTGRES)).isTrue();
        assertThat(pg.calls()).isEqualTo(cache.calls()).isEqualTo(5);
        assertThat(h.describe(EU)).isEqualTo("eu: postgres UP, redis DOWN");
        assertThat(h.states(EU)).containsEntry(Store.POSTGRES, RegionState.UP).containsEntry(redis, RegionState.DOWN);
        assertThat(changes()).singleElement().satisfies(c -> {
            assertThat(c.store()).isEqualTo(redis);
            assertThat(c.region()).isEqualTo(EU);
        });
    }

    @Test
    void versionChanges_withEveryStateChange() {
        RegionHealth h = health(thresholds(1, 1), Runnable::run);
        h.register(EU, Store.POSTGRES, new ScriptedProbe());
        long before = h.version();
        h.recordFailure(EU, Store.POSTGRES, new IOException("x"));
        assertThat(h.version()).isGreaterThan(before);
        long down = h.version();
        scheduler.runDue();
        advanceMillis(500);
        assertThat(h.isUp(EU, Store.POSTGRES)).isTrue();
        assertThat(h.version()).isGreaterThan(down);
    }

    @Test
    void storeHandle_isStable_andFollowsRegistration() {
        RegionHealth h = health(thresholds(1, 1), Runnable::run);
        StoreHealth handle = h.store(EU, Store.POSTGRES);
        assertThat(h.store(EU, Store.POSTGRES)).isSameAs(handle);
        handle.recordFailure(new IOException("ignored: not registered"));
        assertThat(handle.isUp()).isTrue();
        ScriptedProbe probe = new ScriptedProbe();
        h.register(EU, Store.POSTGRES, probe);
        handle.recordFailure(new IOException("counted"));
        assertThat(handle.isUp()).isFalse();
        h.unregister(EU, Store.POSTGRES, probe);
        assertThat(handle.isUp()).isTrue();
    }

    @Test
    void listenersHearEveryStateChange_andAThrowingListenerIsContained() {
        RecordingListener late = new RecordingListener();
        RegionHealth h = health(thresholds(1, 1), Runnable::run);
        h.addListener(e -> {
            throw new IllegalStateException("listener bug");
        });
        h.addListener(late);
        h.register(EU, Store.POSTGRES, new ScriptedProbe());
        h.recordFailure(EU, Store.POSTGRES, new IOException("a"));
        scheduler.runDue();
        h.recordFailure(EU, Store.POSTGRES, new IOException("b"));
        assertThat(h.isUp(EU, Store.POSTGRES)).isFalse();
        assertThat(changes()).extracting(RegionStateChangedEvent::to)
                .containsExactly(RegionState.DOWN, RegionState.UP, RegionState.DOWN);
        assertThat(late.events()).hasSize(3);
        assertThat(h.removeListener(late)).isTrue();
        advanceMillis(500);
        assertThat(late.events()).hasSize(3);
        assertThat(changes()).hasSize(4);
    }

    @Test
    void stateChanges_reachEveryListenerInOrder_evenWhenAListenerFlipsTheStateAgain() {
        RecordingListener later = new RecordingListener();
        RegionHealth h = health(thresholds(1, 1), Runnable::run);
        h.register(EU, Store.POSTGRES, new ScriptedProbe());
        // a listener that runs the due probe the moment it hears DOWN, so the state flips back at once
        h.addListener(e -> {
            if (e instanceof RegionStateChangedEvent c && c.to() == RegionState.DOWN) {
                scheduler.runDue();
            }
        });
        h.addListener(later);
        h.recordFailure(EU, Store.POSTGRES, new IOException("x"));
        assertThat(h.isUp(EU, Store.POSTGRES)).isTrue();
        assertThat(later.events(RegionStateChangedEvent.class)).extracting(RegionStateChangedEvent::to)
                .as("the listener after the flipping one must not hear UP before DOWN")
                .containsExactly(RegionState.DOWN, RegionState.UP);
    }

    @Test
    void concurrentRealCallsAndProbes_deliverAlternatingChanges_endingInTheFinalState() throws Exception {
        final int threads = 3;
        final int callsPerThread = 5_000;
        List<RegionState> heard = new java.util.ArrayList<>();
        RegionHealth h = health(thresholds(1, 1), Runnable::run);
        h.register(EU, Store.POSTGRES, new ScriptedProbe());
        h.addListener(e -> {
            if (e instanceof RegionStateChangedEvent c) {
                synchronized (heard) {
                    heard.add(c.to());
                }
            }
        });
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean callsDone = new AtomicBoolean();
        try {
            List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < callsPerThread; i++) {
                        if (i % 2 == 0) {
                            h.recordFailure(EU, Store.POSTGRES, new IOException("call " + i));
                        } else {
                            h.recordSuccess(EU, Store.POSTGRES);
                        }
                    }
                    return null;
                }));
            }
            java.util.concurrent.Future<?> probes = pool.submit(() -> {
                start.await();
                while (!callsDone.get()) {
                    advanceMillis(500); // a passing probe: UP again after every trip
                }
                return null;
            });
            start.countDown();
            for (java.util.concurrent.Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            callsDone.set(true);
            probes.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        synchronized (heard) {
            assertThat(heard).isNotEmpty();
            for (int i = 0; i < heard.size(); i++) {
                assertThat(heard.get(i)).as("change #%d", i).isEqualTo(i % 2 == 0 ? RegionState.DOWN : RegionState.UP);
            }
            assertThat(heard.get(heard.size() - 1)).as("last change heard = final state")
                    .isEqualTo(h.state(EU, Store.POSTGRES));
        }
    }

    @Test
    void allMonitorsShareOneScheduler() {
        ScriptedProbe eu = new ScriptedProbe();
        ScriptedProbe us = new ScriptedProbe().healthy(false);
        ScriptedProbe ap = new ScriptedProbe();
        RegionHealth h = health();
        h.register(EU, Store.POSTGRES, eu);
        h.register(US, Store.POSTGRES, us);
        h.register(AP, Store.POSTGRES, ap);
        assertThat(scheduler.periodicTaskCount()).isEqualTo(3);
        scheduler.runDue();
        advanceMillis(1500);
        assertThat(List.of(eu.calls(), us.calls(), ap.calls())).containsOnly(4);
        assertThat(h.isUp(EU, Store.POSTGRES)).isTrue();
        assertThat(h.isUp(US, Store.POSTGRES)).isFalse();
        assertThat(h.isUp(AP, Store.POSTGRES)).isTrue();
    }

    @Test
    void secondProbeForTheSameRegion_mustAlsoPass() {
        ScriptedProbe sql = new ScriptedProbe();
        ScriptedProbe ping = new ScriptedProbe().healthy(false);
        RegionHealth h = health(thresholds(1, 1), Runnable::run);
        h.register(EU, Store.POSTGRES, sql);
        h.register(EU, Store.POSTGRES, ping);
        assertThat(scheduler.periodicTaskCount()).as("still one monitor").isEqualTo(1);
        scheduler.runDue();
        assertThat(sql.calls()).isEqualTo(1);
        assertThat(ping.calls()).isEqualTo(1);
        assertThat(h.isUp(EU, Store.POSTGRES)).isFalse();
    }

    @Test
    void unregister_dropsOneProbe_andTheLastOneStopsTheMonitor() {
        ScriptedProbe sql = new ScriptedProbe();
        ScriptedProbe ping = new ScriptedProbe().healthy(false);
        RegionHealth h = health(thresholds(1, 1), Runnable::run);
        h.register(EU, Store.POSTGRES, sql);
        h.register(EU, Store.POSTGRES, ping);
        scheduler.runDue();
        assertThat(h.isUp(EU, Store.POSTGRES)).as("the failing ping probe counts").isFalse();

        assertThat(h.unregister(EU, Store.POSTGRES, ping)).as("sql still probes eu").isTrue();
        advanceMillis(500);
        assertThat(h.isUp(EU, Store.POSTGRES)).as("only the healthy probe is left").isTrue();
        assertThat(ping.calls()).isEqualTo(1);

        assertThat(h.unregister(EU, Store.POSTGRES, sql)).isFalse();
        int sqlCalls = sql.calls();
        advanceMillis(2000);
        assertThat(sql.calls()).as("no probing after the last probe went").isEqualTo(sqlCalls);
        assertThat(h.registeredRegions()).isEmpty();
        assertThat(h.unregister(EU, Store.POSTGRES, sql)).as("unknown probes are ignored").isFalse();
    }

    @Test
    void rejectedProbe_countsAsFailure() {
        RegionHealth h = health(thresholds(1, 1), command -> {
            throw new RejectedExecutionException("full");
        });
        h.register(EU, Store.POSTGRES, new ScriptedProbe());
        scheduler.runDue();
        assertThat(h.isUp(EU, Store.POSTGRES)).isFalse();
        assertThat(changes().get(0).lastFailure()).isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void close_stopsProbing_butLeavesAGivenSchedulerRunning() {
        ScriptedProbe probe = new ScriptedProbe();
        RegionHealth h = health();
        h.register(EU, Store.POSTGRES, probe);
        scheduler.runDue();
        h.close();
        h.close();
        advanceMillis(5000);
        assertThat(probe.calls()).isEqualTo(1);
        assertThat(scheduler.periodicTaskCount()).isZero();
        assertThat(scheduler.isShutdown()).isFalse();
        assertThatThrownBy(() -> h.register(US, Store.POSTGRES, probe)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed").hasMessageContaining("us");
    }

    @Test
    void defaultExecutors_runProbesOnADaemonThreadOffTheCallerThread() throws Exception {
        CountDownLatch probed = new CountDownLatch(1);
        AtomicReference<Thread> probeThread = new AtomicReference<>();
        try (RegionHealth h = RegionHealth.builder().build()) {
            h.register(EU, Store.POSTGRES, timeout -> {
                probeThread.compareAndSet(null, Thread.currentThread());
                probed.countDown();
            });
            assertThat(probed.await(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(probeThread.get()).isNotSameAs(Thread.currentThread());
        assertThat(probeThread.get().getName()).startsWith("region-health-probe-");
        assertThat(probeThread.get().isDaemon()).isTrue();
    }

    @Test
    void builder_rejectsNulls() {
        assertThatThrownBy(() -> RegionHealth.builder().config(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("config");
        assertThatThrownBy(() -> RegionHealth.builder().ticker(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("ticker");
    }
}
