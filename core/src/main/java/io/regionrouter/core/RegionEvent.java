package io.regionrouter.core;

/**
 * Marker for everything a {@link RegionEventListener} can receive.
 *
 * <p>Core emits {@link RoutedEvent}, {@link FallbackEvent}, {@link ResidencyDeniedEvent} and
 * {@link RegionStateChangedEvent}. Adapters add their own event types (hints queued and replayed,
 * failover), so listeners must ignore types they do not know. Events are immutable.
 */
public interface RegionEvent {
}
