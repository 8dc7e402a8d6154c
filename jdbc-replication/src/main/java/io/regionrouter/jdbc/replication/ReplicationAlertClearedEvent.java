package io.regionrouter.jdbc.replication;

import io.regionrouter.core.RegionEvent;

/**
 * A condition that {@link ReplicationMonitor} raised an event for has ended.
 *
 * @param alert which condition
 * @param subject the link name (for HIGH_LAG and BROKEN) or {@code <region>/<slot>} (for SLOT_RETENTION)
 */
public record ReplicationAlertClearedEvent(ReplicationAlert alert, String subject) implements RegionEvent {
}
