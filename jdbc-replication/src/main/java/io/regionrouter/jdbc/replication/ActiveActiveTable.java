package io.regionrouter.jdbc.replication;

import java.util.Objects;

/**
 * A GLOBAL table that every region writes, replicated in both directions between every pair of
 * regions, with conflicts decided by last write wins on a timestamp column. See
 * {@link ReplicationPlan.Builder#activeActive(String, String)} for what is and is not safe.
 *
 * @param name the table name, possibly schema-qualified
 * @param updatedAtColumn the {@code timestamptz} column that region-router stamps on every local
 *        insert and update, and compares when a replicated update arrives
 */
public record ActiveActiveTable(String name, String updatedAtColumn) {

    /** Checks for nulls. */
    public ActiveActiveTable {
        Objects.requireNonNull(name, "table.name must not be null");
        Objects.requireNonNull(updatedAtColumn, "table.updatedAtColumn must not be null");
    }
}
