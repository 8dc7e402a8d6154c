package io.regionrouter.redis.internal;

import io.netty.util.Timeout;
import io.netty.util.Timer;
import io.netty.util.concurrent.EventExecutorGroup;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Ends calls that ran out of time. Every write and read arms one deadline and cancels it when
 * answered, so arming must cost next to nothing: this uses Lettuce's wheel timer (the one its own
 * command timeouts use, 100 ms ticks by default), where arming is a queue offer and never wakes a
 * thread. A deadline fires up to one tick late; callers' synchronous waits allow for that. The task
 * runs on Lettuce's event executors, never on the timer thread, so a slow callback cannot delay
 * other deadlines. Thread-safe.
 */
public final class Deadlines {

    private final Timer timer;
    private final EventExecutorGroup executors;

    /**
     * Uses a timer and executors of the Lettuce client resources.
     *
     * @param timer the wheel timer
     * @param executors where expired tasks run
     */
    public Deadlines(Timer timer, EventExecutorGroup executors) {
        this.timer = timer;
        this.executors = executors;
    }

    /**
     * Runs {@code task} after {@code delay} unless cancelled first.
     *
     * @return the handle to cancel
     * @throws RejectedExecutionException if the timer is stopped or full
     */
    public Timeout after(Duration delay, Runnable task) {
        try {
            return timer.newTimeout(t -> executors.execute(task), delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (IllegalStateException stopped) {
            throw new RejectedExecutionException("the timer of the Redis client resources is stopped", stopped);
        }
    }
}
