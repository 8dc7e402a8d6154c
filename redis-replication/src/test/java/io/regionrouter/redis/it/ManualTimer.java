package io.regionrouter.redis.it;

import io.netty.util.Timeout;
import io.netty.util.Timer;
import io.netty.util.TimerTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A Netty timer whose time moves only when the test calls {@link #advance}: given to Lettuce's
 * client resources, it holds every command timeout and every operation deadline of a
 * {@code RegionalRedis}, so a test decides exactly when each one may fire. Tasks run on the calling
 * thread, in deadline order. Thread-safe.
 */
final class ManualTimer implements Timer {

    private final List<Task> pending = new ArrayList<>();
    private long nowNanos;
    private boolean stopped;

    @Override
    public synchronized Timeout newTimeout(TimerTask task, long delay, TimeUnit unit) {
        if (stopped) {
            throw new IllegalStateException("the manual timer is stopped");
        }
        Task t = new Task(task, nowNanos + unit.toNanos(delay));
        pending.add(t);
        return t;
    }

    @Override
    public synchronized Set<Timeout> stop() {
        stopped = true;
        Set<Timeout> left = new HashSet<>(pending);
        pending.clear();
        return left;
    }

    /** Moves the time on by {@code step} and runs every task that is then due. */
    void advance(Duration step) {
        List<Task> due = new ArrayList<>();
        synchronized (this) {
            nowNanos += step.toNanos();
            for (Task t : pending) {
                if (t.deadlineNanos <= nowNanos) {
                    due.add(t);
                }
            }
            pending.removeAll(due);
        }
        due.sort(Comparator.comparingLong(t -> t.deadlineNanos));
        for (Task t : due) {
            t.fire();
        }
    }

    /** Returns how many tasks wait with a deadline later than {@code elapsed} from the start. */
    synchronized long pendingAfter(Duration elapsed) {
        return pending.stream().filter(t -> !t.cancelled && t.deadlineNanos > elapsed.toNanos()).count();
    }

    private final class Task implements Timeout {
        private final TimerTask task;
        private final long deadlineNanos;
        private volatile boolean cancelled;
        private volatile boolean expired;

        Task(TimerTask task, long deadlineNanos) {
            this.task = task;
            this.deadlineNanos = deadlineNanos;
        }

        void fire() {
            if (cancelled) {
                return;
            }
            expired = true;
            try {
                task.run(this);
            } catch (Exception e) {
                throw new AssertionError("a timer task failed", e);
            }
        }

        @Override
        public Timer timer() {
            return ManualTimer.this;
        }

        @Override
        public TimerTask task() {
            return task;
        }

        @Override
        public boolean isExpired() {
            return expired;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean cancel() {
            synchronized (ManualTimer.this) {
                if (expired || cancelled) {
                    return false;
                }
                cancelled = true;
                pending.remove(this);
                return true;
            }
        }
    }
}
