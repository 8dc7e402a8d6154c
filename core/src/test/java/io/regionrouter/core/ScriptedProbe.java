package io.regionrouter.core;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A probe for tests: healthy or not as told, or following a script of outcomes; counts its calls.
 */
final class ScriptedProbe implements HealthProbe {

    private final AtomicBoolean healthy = new AtomicBoolean(true);
    private final AtomicInteger calls = new AtomicInteger();
    private final Deque<Boolean> script = new ArrayDeque<>();
    private volatile Duration lastTimeout;

    ScriptedProbe healthy(boolean value) {
        healthy.set(value);
        return this;
    }

    /** Queues outcomes (true = success) that take precedence over {@link #healthy(boolean)}. */
    synchronized ScriptedProbe then(Boolean... outcomes) {
        script.addAll(java.util.List.of(outcomes));
        return this;
    }

    int calls() {
        return calls.get();
    }

    Duration lastTimeout() {
        return lastTimeout;
    }

    @Override
    public void check(Duration timeout) throws IOException {
        lastTimeout = timeout;
        int n = calls.incrementAndGet();
        Boolean scripted;
        synchronized (this) {
            scripted = script.poll();
        }
        boolean ok = scripted != null ? scripted : healthy.get();
        if (!ok) {
            throw new IOException("probe #" + n + " failed");
        }
    }
}
