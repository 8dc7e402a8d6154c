package io.regionrouter.core;

/**
 * Receives {@link RegionEvent}s from a {@link RegionRouter}, a {@link RegionHealth} or an adapter.
 *
 * <p><b>Threading:</b> {@link #onEvent} is called synchronously on the thread that caused the
 * event: an application thread for routing events, a health probe or scheduler thread (or the
 * application thread that reported a failure) for state changes. It may be called by many threads
 * at once, so implementations must be thread-safe, and it must be fast and must not block: it runs
 * on the routing path.
 *
 * <p><b>Order:</b> the {@link RegionStateChangedEvent}s of one region arrive one at a time and in
 * the order the changes happened. When a change happens while an earlier one of the same region is
 * still being delivered (on another thread, or because a listener reported a result that flipped
 * the state again), the thread delivering the earlier change delivers the later one right after
 * it, so that event may arrive on that thread rather than on the one that caused it.
 *
 * <p><b>Failures:</b> an exception thrown by a listener is logged and swallowed by the dispatcher;
 * it never breaks routing and never stops other listeners from hearing the event.
 */
@FunctionalInterface
public interface RegionEventListener {

    /**
     * Handles one event. Must ignore event types it does not know.
     *
     * @param event the event, never null
     */
    void onEvent(RegionEvent event);
}
