package io.regionrouter.jdbc.replication;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionEvent;
import java.time.Duration;

/**
 * A replication link's lag rose above the threshold. Raised once per episode; a
 * {@link ReplicationAlertClearedEvent} follows when it drops below again.
 *
 * @param link the subscription or standby name
 * @param source the sending region
 * @param target the receiving region or standby
 * @param lag the measured lag
 * @param threshold the configured threshold
 */
public record ReplicationLagHighEvent(String link, Region source, String target, Duration lag, Duration threshold)
        implements RegionEvent {
}
