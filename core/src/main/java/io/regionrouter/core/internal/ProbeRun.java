package io.regionrouter.core.internal;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.function.BiConsumer;

import io.regionrouter.core.HealthProbe;

/**
 * One execution of a health probe on a probe thread. It reports its outcome (null for success) to
 * the owner, and can be cancelled, which interrupts the probe thread if the probe is running. The
 * interrupt is delivered only while the probe runs, never to a pool thread that has moved on.
 * Thread-safe.
 */
public final class ProbeRun implements Runnable {

    private final HealthProbe probe;
    private final Duration timeout;
    private final long startedNanos;
    private final BiConsumer<ProbeRun, Throwable> onDone;
    private Thread runner;
    private boolean cancelled;
    private volatile ScheduledFuture<?> timeoutTask;
    /** Whether the owner already counted this run as timed out; guarded by the owner. */
    boolean timedOut;

    /**
     * Creates a run.
     *
     * @param probe the probe
     * @param timeout the timeout passed to the probe
     * @param startedNanos the ticker value when the run was created
     * @param onDone receives this run and its failure, or null on success
     */
    public ProbeRun(HealthProbe probe, Duration timeout, long startedNanos, BiConsumer<ProbeRun, Throwable> onDone) {
        this.probe = probe;
        this.timeout = timeout;
        this.startedNanos = startedNanos;
        this.onDone = onDone;
    }

    /** Returns the ticker value when the run was created. */
    public long startedNanos() {
        return startedNanos;
    }

    @Override
    public void run() {
        boolean skip;
        synchronized (this) {
            skip = cancelled;
            if (!skip) {
                runner = Thread.currentThread();
            }
        }
        if (skip) {
            onDone.accept(this, new IllegalStateException("probe cancelled before it started"));
            return;
        }
        Throwable failure = null;
        try {
            probe.check(timeout);
        } catch (InterruptedException e) {
            failure = e;
            Thread.currentThread().interrupt();
        } catch (Exception | Error e) {
            failure = e;
        } finally {
            synchronized (this) {
                runner = null;
            }
        }
        onDone.accept(this, failure);
        if (failure instanceof VirtualMachineError) {
            throw (VirtualMachineError) failure;
        }
    }

    /** Stops the run: interrupts the probe if it is running, or skips it if it has not started. */
    public void cancel() {
        ScheduledFuture<?> t = timeoutTask;
        if (t != null) {
            t.cancel(false);
        }
        synchronized (this) {
            cancelled = true;
            if (runner != null) {
                runner.interrupt();
            }
        }
    }

    void timeoutTask(ScheduledFuture<?> task) {
        this.timeoutTask = task;
    }

    void cancelTimeoutTask() {
        ScheduledFuture<?> t = timeoutTask;
        if (t != null) {
            t.cancel(false);
        }
    }
}
