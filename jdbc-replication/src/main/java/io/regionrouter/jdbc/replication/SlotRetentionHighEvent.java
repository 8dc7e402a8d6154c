package io.regionrouter.jdbc.replication;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionEvent;

/**
 * A replication slot keeps more WAL than the threshold; left alone it fills the disk. Raised once
 * per episode; a {@link ReplicationAlertClearedEvent} follows when it drops below again.
 *
 * @param region the region whose database holds the slot
 * @param slot the slot name
 * @param active whether a consumer streams from it now
 * @param retainedBytes WAL bytes kept for the slot
 * @param thresholdBytes the configured threshold
 */
public record SlotRetentionHighEvent(Region region, String slot, boolean active, long retainedBytes, long thresholdBytes)
        implements RegionEvent {
}
