package io.regionrouter.jdbc.replication;

/** The conditions {@link ReplicationMonitor} raises events for. */
public enum ReplicationAlert {
    /** A link's lag is above the threshold: {@link ReplicationLagHighEvent}. */
    HIGH_LAG,
    /** A link is broken: {@link ReplicationBrokenEvent}. */
    BROKEN,
    /** A slot retains more WAL than the threshold: {@link SlotRetentionHighEvent}. */
    SLOT_RETENTION
}
