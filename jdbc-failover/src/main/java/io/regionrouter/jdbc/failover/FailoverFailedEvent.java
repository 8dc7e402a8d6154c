package io.regionrouter.jdbc.failover;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionEvent;

/**
 * A failover failed at one step; the region keeps the epoch it had, and its primary is not used
 * for writes if it was fenced. An operator must look.
 *
 * @param region the region
 * @param step the step that failed: {@code promote}, {@code check-writable}, {@code switch-pool} or {@code first-write}
 * @param cause the failure
 */
public record FailoverFailedEvent(Region region, String step, Throwable cause) implements RegionEvent {
}
