package io.regionrouter.core;

/**
 * The first-choice region was DOWN and a request fell back to another region.
 *
 * @param userId the user, or null for a request without one
 * @param dataClass the data class of the request
 * @param access read or write
 * @param from the first-choice region that was skipped
 * @param to the region that serves the request instead
 */
public record FallbackEvent(String userId, DataClass dataClass, Access access, Region from, Region to)
        implements RegionEvent {
}
