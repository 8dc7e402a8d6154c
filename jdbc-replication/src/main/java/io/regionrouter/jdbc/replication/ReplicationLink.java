package io.regionrouter.jdbc.replication;

import io.regionrouter.core.Region;
import java.time.Duration;
import java.util.Optional;

/**
 * The health of one replication path, as {@link ReplicationMonitor} judged it in a snapshot.
 *
 * @param name the subscription name, or the standby's name
 * @param kind logical subscription or streaming standby
 * @param source the region that sends
 * @param target the receiving region's id, or the standby's name
 * @param lag the replay lag: for a subscription the publisher's {@code replay_lag} (zero when caught
 *        up), for a standby its own measure; empty when unknown
 * @param up false while the path is broken (after the grace period for transient states)
 * @param problem why the path is or may soon be broken, or null when all is well
 */
public record ReplicationLink(String name, LinkKind kind, Region source, String target, Optional<Duration> lag,
        boolean up, String problem) {
}
