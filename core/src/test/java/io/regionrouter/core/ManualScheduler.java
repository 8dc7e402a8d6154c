package io.regionrouter.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A deterministic {@link ScheduledExecutorService} for tests. Time is virtual and only moves when a
 * test calls {@link #advance(Duration)}; due tasks then run on the calling thread in time order.
 * {@link #nanoTime()} is the matching ticker.
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
    private long now;
    private long sequence;
    private boolean shutdown;

    /** The virtual clock, in nanoseconds. */
    synchronized long nanoTime() {
        return now;
    }

    /** Moves the clock forward, running every task that falls due, in order. */
    void advance(Duration duration) {
        long target;
        synchronized (this) {
            target = now + duration.toNanos();
        }
        while (true) {
            Task<?> next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.time > target) {
                    now = target;
                    return;
                }
                queue.poll();
                now = next.time;
            }
            next.runOnce();
            synchronized (this) {
                if (next.period != 0 && !next.cancelled && !shutdown) {
                    next.time = next.period > 0 ? next.time + next.period : now - next.period;
                    next.seq = sequence++;
                    queue.add(next);
                }
            }
        }
    }

    /** Runs whatever is due now without moving the clock. */
    void runDue() {
        advance(Duration.ZERO);
    }

    /** Returns the number of pending periodic tasks. */
    synchronized int periodicTaskCount() {
        return (int) queue.stream().filter(t -> t.period != 0).count();
    }

    /** Returns the number of pending tasks. */
    synchronized int pendingTaskCount() {
        return queue.size();
    }

    private synchronized <V> Task<V> enqueue(Callable<V> callable, long delayNanos, long period) {
        if (shutdown) {
            throw new java.util.concurrent.RejectedExecutionException("manual scheduler is shut down");
        }
        Task<V> task = new Task<>(callable, now + Math.max(0, delayNanos), period, sequence++);
        queue.add(task);
        return task;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return enqueue(() -> {
            command.run();
            return null;
        }, unit.toNanos(delay), 0);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return enqueue(callable, unit.toNanos(delay), 0);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return enqueue(() -> {
            command.run();
            return null;
        }, unit.toNanos(initialDelay), unit.toNanos(period));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return enqueue(() -> {
            command.run();
            return null;
        }, unit.toNanos(initialDelay), -unit.toNanos(delay));
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
    }

    @Override
    public synchronized List<Runnable> shutdownNow() {
        shutdown = true;
        queue.clear();
        return new ArrayList<>();
    }

    @Override
    public synchronized boolean isShutdown() {
        return shutdown;
    }

    @Override
    public synchronized boolean isTerminated() {
        return shutdown && queue.isEmpty();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isTerminated();
    }

    private final class Task<V> implements ScheduledFuture<V> {

        private final Callable<V> callable;
        private final long period;
        private long time;
        private long seq;
        private volatile boolean cancelled;
        private volatile boolean done;
        private V result;
        private Exception failure;

        private Task(Callable<V> callable, long time, long period, long seq) {
            this.callable = callable;
            this.time = time;
            this.period = period;
            this.seq = seq;
        }

        void runOnce() {
            if (cancelled) {
                return;
            }
            try {
                result = callable.call();
            } catch (RuntimeException e) {
                failure = e;
                throw e;
            } catch (Exception e) {
                failure = e;
            } finally {
                if (period == 0) {
                    done = true;
                }
            }
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(time - nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            Task<?> other = (Task<?>) o;
            int byTime = Long.compare(time, other.time);
            return byTime != 0 ? byTime : Long.compare(seq, other.seq);
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            synchronized (ManualScheduler.this) {
                if (done) {
                    return false;
                }
                cancelled = true;
                queue.remove(this);
                return true;
            }
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done || cancelled;
        }

        @Override
        public V get() throws ExecutionException {
            if (!done) {
                throw new IllegalStateException("task has not run; advance the manual scheduler first");
            }
            if (failure != null) {
                throw new ExecutionException(failure);
            }
            return result;
        }

        @Override
        public V get(long timeout, TimeUnit unit) throws ExecutionException, TimeoutException {
            return get();
        }
    }
}
