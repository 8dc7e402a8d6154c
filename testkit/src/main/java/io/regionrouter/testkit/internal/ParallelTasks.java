package io.regionrouter.testkit.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs a handful of blocking tasks in parallel and reports every failure. */
public final class ParallelTasks {

    private static final int MAX_THREADS = 4;

    private ParallelTasks() {
    }

    /**
     * Runs every task, at most four at a time, and waits for all of them.
     *
     * @param what what the tasks do, for messages ("start", "close")
     * @param tasks the tasks
     * @param timeout how long to wait for all of them
     * @throws IllegalStateException if a task failed or the time ran out; the first failure is the
     *     cause, the others are suppressed
     */
    public static void runAll(String what, List<Runnable> tasks, Duration timeout) {
        if (tasks.isEmpty()) {
            return;
        }
        AtomicInteger count = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(MAX_THREADS, tasks.size()), r -> {
            Thread t = new Thread(r, "region-router-testkit-" + what + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        List<Throwable> failures = new ArrayList<>();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Runnable task : tasks) {
                futures.add(pool.submit(task));
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            for (Future<?> f : futures) {
                try {
                    f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (ExecutionException e) {
                    failures.add(e.getCause());
                } catch (TimeoutException e) {
                    f.cancel(true);
                    failures.add(new TimeoutException(what + " did not finish within " + timeout));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failures.add(e);
                    break;
                }
            }
        } finally {
            pool.shutdownNow();
        }
        if (!failures.isEmpty()) {
            IllegalStateException e = new IllegalStateException("could not " + what + " " + failures.size() + " of "
                    + tasks.size() + " servers", failures.get(0));
            failures.subList(1, failures.size()).forEach(e::addSuppressed);
            throw e;
        }
    }
}
