package io.regionrouter.jdbc.failover.internal;

import io.regionrouter.core.Region;
import io.regionrouter.jdbc.failover.FailoverException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The threads of a failover manager: one that runs failovers one at a time, one that samples
 * primaries and watches old ones, and a pool for the bounded direct probes. All daemon threads.
 */
public final class FailoverThreads implements AutoCloseable {

    /** Work that may be interrupted. */
    @FunctionalInterface
    public interface Task<T> {
        /** Runs the work. */
        T run() throws InterruptedException;
    }

    private final ScheduledExecutorService failover = Executors.newSingleThreadScheduledExecutor(daemon("region-router-failover"));
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(daemon("region-router-failover-sampler"));
    private final ScheduledExecutorService follow = Executors.newSingleThreadScheduledExecutor(daemon("region-router-failover-follow"));
    private final ExecutorService pings = Executors.newCachedThreadPool(daemon("region-router-failover-ping"));

    /** The failover thread. */
    public ScheduledExecutorService failover() {
        return failover;
    }

    /** The sampling thread; also closes old pools after their drain time. */
    public ScheduledExecutorService sampler() {
        return sampler;
    }

    /** The thread of the follow rounds. */
    public ScheduledExecutorService follow() {
        return follow;
    }

    /** The threads of the direct probes. */
    public ExecutorService pings() {
        return pings;
    }

    /**
     * Runs a task on the failover thread and waits for it.
     *
     * @param region the region, for errors
     * @param task the task
     * @param limit how long to wait
     * @return the task's result
     * @throws FailoverException if the manager is closed, the task failed with a checked exception,
     *     or did not finish in time; runtime exceptions of the task are rethrown as they are
     */
    public <T> T call(Region region, Task<T> task, Duration limit) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            failover.execute(() -> {
                try {
                    result.complete(task.run());
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            throw new FailoverException(region, "the failover manager is closed", e);
        }
        return await(region, result, limit);
    }

    /**
     * Waits for a result that the failover thread completes.
     *
     * @param region the region, for errors
     * @param result the result
     * @param limit how long to wait
     * @return the result
     */
    public static <T> T await(Region region, CompletableFuture<T> result, Duration limit) {
        try {
            return result.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re
                    : new FailoverException(region, "failover of region " + region + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw new FailoverException(region, "failover of region " + region + " did not finish within " + limit, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FailoverException(region, "interrupted while waiting for the failover of region " + region, e);
        }
    }

    /** Stops every thread, interrupting running work. Idempotent. */
    @Override
    public void close() {
        failover.shutdownNow();
        sampler.shutdownNow();
        follow.shutdownNow();
        pings.shutdownNow();
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
