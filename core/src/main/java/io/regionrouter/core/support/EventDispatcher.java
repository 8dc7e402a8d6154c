package io.regionrouter.core.support;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.regionrouter.core.RegionEvent;
import io.regionrouter.core.RegionEventListener;

/**
 * Delivers events to listeners on the calling thread. A listener that throws is logged (with the
 * owner's name and the event type) and counted; the others still hear the event and the caller
 * never sees the exception. Thread-safe.
 */
public final class EventDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);

    private final String owner;
    private final List<RegionEventListener> listeners = new CopyOnWriteArrayList<>();
    private final LongAdder listenerFailures = new LongAdder();

    /**
     * Creates a dispatcher.
     *
     * @param owner name used in log lines, such as {@code region-router}
     * @param initial listeners to start with
     */
    public EventDispatcher(String owner, List<RegionEventListener> initial) {
        this.owner = Objects.requireNonNull(owner, "owner");
        initial.forEach(this::add);
    }

    /** Adds a listener. */
    public void add(RegionEventListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Adds a consumer of one event type (and its subtypes); the other events pass it by.
     *
     * @param type the event type
     * @param consumer the consumer
     * @param <T> the event type
     */
    public <T extends RegionEvent> void add(Class<T> type, Consumer<? super T> consumer) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(consumer, "consumer");
        add(new TypedListener<>(type, consumer));
    }

    /** Delivers one type of event; named after its consumer's class in log lines. */
    private record TypedListener<T extends RegionEvent>(Class<T> type, Consumer<? super T> consumer)
            implements RegionEventListener {

        @Override
        public void onEvent(RegionEvent event) {
            if (type.isInstance(event)) {
                consumer.accept(type.cast(event));
            }
        }
    }

    /** Removes a listener; returns whether it was present. */
    public boolean remove(RegionEventListener listener) {
        return listeners.remove(listener);
    }

    /** Returns whether anyone is listening. */
    public boolean hasListeners() {
        return !listeners.isEmpty();
    }

    /** Returns how many times a listener has thrown. */
    public long listenerFailures() {
        return listenerFailures.sum();
    }

    /**
     * Delivers an event to every listener, containing their exceptions.
     *
     * @param event the event
     */
    public void publish(RegionEvent event) {
        for (RegionEventListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                listenerFailures.increment();
                LOG.warn("[{}] listener {} threw while handling {}; ignored", owner, describe(listener),
                        event.getClass().getSimpleName(), e);
            }
        }
    }

    private static String describe(RegionEventListener listener) {
        return listener instanceof TypedListener<?> typed ? typed.consumer().getClass().getName() : listener.getClass().getName();
    }
}
