package io.regionrouter.jdbc.replication;

/** How a {@link ReplicationLink} replicates. */
public enum LinkKind {
    /** A logical subscription from one region's database to another's. */
    LOGICAL,
    /** A streaming standby (read replica) of a region's database. */
    PHYSICAL
}
