package io.regionrouter.core;

import java.util.function.Consumer;

/**
 * The events one component raises, to subscribe to by type instead of an {@code instanceof} chain.
 * Each component has its own publisher that adds a method per event type, such as
 * {@link RegionHealth.EventPublisher#onStateChanged}; all of them deliver through one dispatcher.
 *
 * <p>Consumers run on the thread that raised the event and must be fast. One that throws is logged
 * and counted; the others still get the event and the component never sees the exception.
 * Subscriptions made here see events from then on; a builder's {@code listener(...)} also sees those
 * raised while the component starts.
 */
public interface EventPublisher {

    /**
     * Subscribes to every event of the component.
     *
     * @param listener the listener
     * @return this publisher
     */
    EventPublisher onEvent(RegionEventListener listener);

    /**
     * Subscribes to the component's events of one type (and its subtypes).
     *
     * @param type the event type
     * @param consumer the consumer
     * @param <T> the event type
     * @return this publisher
     */
    <T extends RegionEvent> EventPublisher on(Class<T> type, Consumer<? super T> consumer);
}
