package io.regionrouter.jdbc.failover.internal;

import io.regionrouter.core.RegionEvent;
import io.regionrouter.core.RegionEventListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Delivers failover events; a listener that throws is logged and skipped. Thread-safe. */
public final class Events {

    private static final Logger LOG = LoggerFactory.getLogger(Events.class);

    private final List<RegionEventListener> listeners = new CopyOnWriteArrayList<>();

    /** Adds a listener. */
    public void add(RegionEventListener listener) {
        listeners.add(listener);
    }

    /** Delivers the event to every listener, in the order they were added. */
    public void publish(RegionEvent event) {
        for (RegionEventListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("region-router failover: listener {} threw on {}; ignored", l.getClass().getName(),
                        event.getClass().getSimpleName(), e);
            }
        }
    }
}
