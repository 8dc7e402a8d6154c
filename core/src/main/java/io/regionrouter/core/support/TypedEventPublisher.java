package io.regionrouter.core.support;

import io.regionrouter.core.EventPublisher;
import io.regionrouter.core.RegionEvent;
import io.regionrouter.core.RegionEventListener;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The generic half of a component's {@link EventPublisher}, over the component's dispatcher; the
 * component's own publisher adds one method per event type, each a call to {@link #on}.
 *
 * @param <P> the component's publisher type, returned for chaining
 */
public abstract class TypedEventPublisher<P extends EventPublisher> implements EventPublisher {

    private final EventDispatcher events;

    /**
     * Creates the publisher.
     *
     * @param events the component's dispatcher
     */
    protected TypedEventPublisher(EventDispatcher events) {
        this.events = Objects.requireNonNull(events, "events");
    }

    /** This publisher, as the component's type. */
    protected abstract P self();

    @Override
    public P onEvent(RegionEventListener listener) {
        events.add(listener);
        return self();
    }

    @Override
    public <T extends RegionEvent> P on(Class<T> type, Consumer<? super T> consumer) {
        events.add(type, consumer);
        return self();
    }
}
