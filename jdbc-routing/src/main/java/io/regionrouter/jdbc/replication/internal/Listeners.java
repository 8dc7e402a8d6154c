package io.regionrouter.jdbc.replication.internal;

import io.regionrouter.core.RegionEvent;
import io.regionrouter.core.RegionEventListener;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Delivers events to listeners; a listener that throws is logged and counted, never propagated. Thread-safe. */
public final class Listeners {

    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

    private final String owner;
    private final List<RegionEventListener> listeners = new CopyOnWriteArrayList<>();
    private final LongAdder failures = new LongAdder();

    /**
     * Creates the dispatcher.
     *
     * @param owner the name used in log lines
     */
    public Listeners(String owner) {
        this.owner = owner;
    }

    /** Adds a listener. */
    public void add(RegionEventListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
    }

    /** How many times a listener has thrown. */
    public long failures() {
        return failures.sum();
    }

    /** Delivers the event to every listener. */
    public void publish(RegionEvent event) {
        for (RegionEventListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException e) {
                failures.increment();
                LOG.warn("[{}] listener {} threw on {}; ignored", owner, l.getClass().getName(), event.getClass().getSimpleName(), e);
            }
        }
    }
}
