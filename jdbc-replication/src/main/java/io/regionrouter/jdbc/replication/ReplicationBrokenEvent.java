package io.regionrouter.jdbc.replication;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionEvent;

/**
 * A replication link is broken: its subscription is missing or disabled, its apply worker or WAL
 * sender has gone, or its standby stopped receiving. Raised once per episode; a
 * {@link ReplicationAlertClearedEvent} follows when it works again.
 *
 * @param link the subscription or standby name
 * @param source the sending region
 * @param target the receiving region or standby
 * @param reason what is wrong
 */
public record ReplicationBrokenEvent(String link, Region source, String target, String reason) implements RegionEvent {
}
