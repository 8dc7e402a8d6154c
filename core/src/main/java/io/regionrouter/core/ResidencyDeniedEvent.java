package io.regionrouter.core;

/**
 * A request for REGULATED data named a region that the home region's residency rules do not allow,
 * and was refused.
 *
 * @param userId the user, may be null
 * @param home the user's home region
 * @param target the refused region
 */
public record ResidencyDeniedEvent(String userId, Region home, Region target) implements RegionEvent {
}
