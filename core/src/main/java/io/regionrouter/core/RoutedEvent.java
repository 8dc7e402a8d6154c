package io.regionrouter.core;

/**
 * A request was routed to a region.
 *
 * @param userId the user, or null for a request without one (GLOBAL data)
 * @param dataClass the data class of the request
 * @param access read or write
 * @param region the chosen region
 * @param fallback whether the chosen region is a fallback rather than the first candidate
 */
public record RoutedEvent(String userId, DataClass dataClass, Access access, Region region, boolean fallback)
        implements RegionEvent {
}
