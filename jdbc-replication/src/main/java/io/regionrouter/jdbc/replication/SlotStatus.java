package io.regionrouter.jdbc.replication;

import io.regionrouter.core.Region;
import java.util.OptionalLong;

/**
 * One replication slot of a region's database, from {@code pg_replication_slots}. A slot keeps WAL
 * until its consumer confirms it, so a forgotten or stuck slot fills the disk.
 *
 * @param region the region
 * @param slotName the slot
 * @param logical whether the slot is logical (else physical)
 * @param active whether a sender streams from it now
 * @param walStatus PostgreSQL's {@code wal_status}: reserved, extended, unreserved or lost
 * @param retainedBytes WAL kept for this slot, {@code pg_wal_lsn_diff(current, restart_lsn)}; empty if the slot has no restart LSN
 */
public record SlotStatus(Region region, String slotName, boolean logical, boolean active, String walStatus,
        OptionalLong retainedBytes) {
}
