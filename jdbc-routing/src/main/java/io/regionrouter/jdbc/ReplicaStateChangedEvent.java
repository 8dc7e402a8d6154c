package io.regionrouter.jdbc;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionEvent;
import java.time.Duration;
import java.util.Optional;

/**
 * A read replica became usable for reads, or stopped being usable: its lag crossed the bound, its
 * replay was paused, it stopped answering, or it was promoted.
 *
 * @param region the region the replica serves
 * @param replica the replica's name
 * @param usable whether reads go to it now
 * @param lag the measured lag, if known
 * @param reason why it is not usable, or null when it is
 */
public record ReplicaStateChangedEvent(Region region, String replica, boolean usable, Optional<Duration> lag, String reason)
        implements RegionEvent {
}
