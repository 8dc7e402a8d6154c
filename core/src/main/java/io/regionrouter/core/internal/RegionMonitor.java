package io.regionrouter.core.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.regionrouter.core.HealthConfig;
import io.regionrouter.core.HealthProbe;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionState;
import io.regionrouter.core.RegionStateChangedEvent;
import io.regionrouter.core.Store;
import io.regionrouter.core.support.EventDispatcher;

/**
 * Watches one store of one region: on every {@link #tick()} it starts a probe on the probe executor, unless the
 * previous probe is still running. Every probe slot costs at most one failure, decided one timeout
 * after the slot began: a probe that has not returned after the timeout counts as one failure (and
 * is interrupted); a slot skipped because the earlier probe is still running counts as a failure if
 * that probe is still running one timeout later. So a hung region is detected exactly as fast as a
 * region whose probes fail at the timeout, a probe that lingers briefly after its timeout is not
 * counted twice, and no second probe is started while one runs (probes never pile up). Real calls
 * are judged apart, by the failure rate of a {@link CallWindow}: a tripped window takes the store
 * DOWN, and only probes bring it back UP.
 *
 * <p>Thread-safe. Lock hold times are short and no lock is held while a probe runs or while
 * listeners are called, so callers never block on a probe. State changes are queued under the lock
 * in the order they happen and delivered one at a time, outside the lock, by whichever thread
 * finds the queue idle: listeners never hear a region's changes out of order (UP before the DOWN
 * it undid), not even when a listener itself reports a result that flips the state again.
 */
public final class RegionMonitor {

    private static final Logger LOG = LoggerFactory.getLogger(RegionMonitor.class);

    private final Region region;
    private final Store store;
    private final Duration timeout;
    private final long timeoutNanos;
    private final LongSupplier ticker;
    private final ScheduledExecutorService scheduler;
    private final Executor probeExecutor;
    private final EventDispatcher events;
    private final Hysteresis hysteresis;
    private final CallWindow calls;
    private final Runnable onStateChange;
    private final List<HealthProbe> probes = new CopyOnWriteArrayList<>();
    private ProbeRun inFlight;
    private boolean closed;
    /** State changes not yet delivered, oldest first; guarded by this. */
    private final ArrayDeque<RegionStateChangedEvent> undelivered = new ArrayDeque<>();
    /** Whether some thread is delivering {@link #undelivered} right now; guarded by this. */
    private boolean delivering;

    /**
     * Creates a monitor in state UP.
     *
     * @param region the region
     * @param store the store
     * @param probe the probe
     * @param config thresholds and timeout
     * @param ticker nano time source
     * @param scheduler runs the timeout checks
     * @param probeExecutor runs the probes
     * @param events receives state changes
     * @param onStateChange runs under the monitor's lock right after every state change, before
     *     any reader can act on the event
     */
    public RegionMonitor(Region region, Store store, HealthProbe probe, HealthConfig config, LongSupplier ticker,
            ScheduledExecutorService scheduler, Executor probeExecutor, EventDispatcher events,
            Runnable onStateChange) {
        this.region = Objects.requireNonNull(region, "region");
        this.store = Objects.requireNonNull(store, "store");
        this.probes.add(Objects.requireNonNull(probe, "probe"));
        this.timeout = config.timeout();
        this.timeoutNanos = config.timeout().toNanos();
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.probeExecutor = Objects.requireNonNull(probeExecutor, "probeExecutor");
        this.events = Objects.requireNonNull(events, "events");
        this.hysteresis = new Hysteresis(region, store, config.failureThreshold(), config.successThreshold());
        this.calls = new CallWindow(config.callWindow().toNanos(), config.minimumCalls(),
                config.failureRateThreshold(), ticker.getAsLong());
        this.onStateChange = Objects.requireNonNull(onStateChange, "onStateChange");
    }

    /** Returns the region's state. Never blocks. */
    public RegionState state() {
        return hysteresis.state();
    }

    /** Adds a probe: from now on a check passes only if every probe passes. */
    public void addProbe(HealthProbe extra) {
        probes.add(Objects.requireNonNull(extra, "probe"));
    }

    /**
     * Removes a probe (compared by identity).
     *
     * @return {@code true} if no probe is left, so the caller should close this monitor
     */
    public boolean removeProbe(HealthProbe gone) {
        probes.removeIf(p -> p == gone);
        return probes.isEmpty();
    }

    private void checkAll(Duration timeout) throws Exception {
        for (HealthProbe p : probes) {
            p.check(timeout);
        }
    }

    /** Returns whether a probe is running now. */
    public synchronized boolean probeInFlight() {
        return inFlight != null;
    }

    /** One scheduler tick: start a probe, or count a hung one as failed. Never throws. */
    public void tick() {
        try {
            doTick();
        } catch (RuntimeException e) {
            LOG.error("health monitor of {}/{} failed during a tick; probing continues", region, store, e);
        }
    }

    private void doTick() {
        ProbeRun start = null;
        ProbeRun skipped = null;
        synchronized (this) {
            if (closed) {
                return;
            }
            long now = ticker.getAsLong();
            calls.advance(now);
            if (inFlight == null) {
                start = new ProbeRun(this::checkAll, timeout, now, this::onProbeDone);
                inFlight = start;
            } else {
                long elapsed = now - inFlight.startedNanos();
                if (!inFlight.timedOut && elapsed >= timeoutNanos) {
                    // the timeout check ran late; count the overdue probe now
                    inFlight.timedOut = true;
                    queue(hysteresis.onFailure(timeoutFailure(elapsed)));
                    inFlight.cancel();
                }
                if (inFlight.timedOut) {
                    skipped = inFlight;
                }
            }
        }
        deliver();
        if (start != null) {
            launch(start);
        }
        if (skipped != null) {
            ProbeRun hung = skipped;
            try {
                scheduler.schedule(() -> onSkippedSlotTimeout(hung), timeoutNanos, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                LOG.debug("health monitor of {}/{} could not schedule a check; the scheduler is shut down", region, store);
            }
        }
    }

    private void onSkippedSlotTimeout(ProbeRun hung) {
        synchronized (this) {
            if (closed || inFlight != hung) {
                return;
            }
            queue(hysteresis.onFailure(timeoutFailure(ticker.getAsLong() - hung.startedNanos())));
        }
        deliver();
    }

    private void launch(ProbeRun run) {
        try {
            run.timeoutTask(scheduler.schedule(() -> onTimeout(run), timeoutNanos, TimeUnit.NANOSECONDS));
            probeExecutor.execute(run);
        } catch (RejectedExecutionException e) {
            boolean counted = false;
            synchronized (this) {
                if (inFlight == run) {
                    inFlight = null;
                }
                run.cancel();
                if (!closed) {
                    queue(hysteresis.onFailure(e));
                    counted = true;
                }
            }
            if (counted) {
                LOG.warn("health probe of {}/{} was rejected by its executor; counted as a failure", region, store, e);
            }
            deliver();
        }
    }

    private void onTimeout(ProbeRun run) {
        synchronized (this) {
            if (closed || inFlight != run || run.timedOut) {
                return;
            }
            run.timedOut = true;
            queue(hysteresis.onFailure(timeoutFailure(ticker.getAsLong() - run.startedNanos())));
        }
        LOG.debug("health probe of {}/{} timed out after {}", region, store, timeout);
        run.cancel();
        deliver();
    }

    private void onProbeDone(ProbeRun run, Throwable failure) {
        synchronized (this) {
            if (inFlight != run) {
                return;
            }
            inFlight = null;
            run.cancelTimeoutTask();
            if (closed || run.timedOut) {
                return;
            }
            queue(failure == null ? hysteresis.onSuccess() : hysteresis.onFailure(failure));
        }
        if (failure != null) {
            LOG.debug("health probe of {}/{} failed: {}", region, store, failure.toString());
        }
        deliver();
    }

    /** Counts a real call that reached the server. Lock-free. */
    public void recordSuccess() {
        calls.recordSuccess();
    }

    /** Counts a real call that could not reach the server; may trip the store DOWN. */
    public void recordFailure(Throwable cause) {
        calls.recordFailure();
        synchronized (this) {
            if (closed || hysteresis.state() == RegionState.DOWN) {
                return;
            }
            calls.advance(ticker.getAsLong());
            if (!calls.tripped()) {
                return;
            }
            LOG.debug("real calls to {}/{} failed too often: {} in the last window", region, store, calls.summary());
            queue(hysteresis.trip(cause));
        }
        deliver();
    }

    /** Stops probing and interrupts a running probe. Idempotent. */
    public void close() {
        ProbeRun run;
        synchronized (this) {
            closed = true;
            run = inFlight;
            inFlight = null;
        }
        if (run != null) {
            run.cancel();
        }
    }

    private TimeoutException timeoutFailure(long elapsedNanos) {
        return new TimeoutException("health probe of " + region + "/" + store + " did not finish within " + timeout
                + " (running for " + Duration.ofNanos(elapsedNanos) + ")");
    }

    /** Queues a state change; call with the lock held, then {@link #deliver()} without it. */
    private void queue(RegionStateChangedEvent change) {
        if (change != null) {
            calls.reset(ticker.getAsLong());
            onStateChange.run();
            undelivered.add(change);
        }
    }

    /**
     * Delivers queued state changes in order, unless another thread is already delivering: that
     * thread then delivers them too. Never holds the lock while a listener runs.
     */
    private void deliver() {
        while (true) {
            RegionStateChangedEvent next;
            synchronized (this) {
                if (delivering) {
                    return;
                }
                next = undelivered.poll();
                if (next == null) {
                    return;
                }
                delivering = true;
            }
            try {
                announce(next);
            } finally {
                synchronized (this) {
                    delivering = false;
                }
            }
        }
    }

    private void announce(RegionStateChangedEvent change) {
        if (change.to() == RegionState.DOWN) {
            Throwable cause = change.lastFailure();
            LOG.warn("{} of region {} is DOWN: {}", store, region, cause == null ? "unknown cause" : cause.toString());
        } else {
            LOG.info("{} of region {} is UP again", store, region);
        }
        events.publish(change);
    }

    @Override
    public String toString() {
        return region + "/" + store + "=" + state();
    }
}
