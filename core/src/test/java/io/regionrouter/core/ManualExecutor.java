package io.regionrouter.core;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;

/**
 * An {@link Executor} for tests that only queues tasks; the test runs them with {@link #runAll()}.
 * A task left in the queue models work that never finishes.
 */
final class ManualExecutor implements Executor {

    private final Deque<Runnable> tasks = new ArrayDeque<>();
    private int submitted;

    @Override
    public synchronized void execute(Runnable command) {
        submitted++;
        tasks.add(command);
    }

    /** Runs queued tasks, including ones they queue, until none is left; returns how many ran. */
    int runAll() {
        int ran = 0;
        while (true) {
            Runnable next;
            synchronized (this) {
                next = tasks.poll();
            }
            if (next == null) {
                return ran;
            }
            next.run();
            ran++;
        }
    }

    /** Returns the number of queued tasks. */
    synchronized int queued() {
        return tasks.size();
    }

    /** Returns the number of tasks ever submitted. */
    synchronized int submitted() {
        return submitted;
    }
}
