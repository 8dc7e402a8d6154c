package io.regionrouter.jdbc.replication;

import io.regionrouter.core.DataClass;
import java.util.Objects;
import java.util.Optional;

/**
 * One table of a {@link ReplicationPlan}: its name, whether it holds {@link DataClass#GLOBAL} or
 * {@link DataClass#REGULATED} data, and for regulated data the column that holds each row's home region.
 *
 * @param name the table name, possibly schema-qualified ({@code users} or {@code app.users})
 * @param dataClass GLOBAL or REGULATED
 * @param regionColumn the home-region column of a REGULATED table; null for GLOBAL tables
 */
public record ReplicatedTable(String name, DataClass dataClass, String regionColumn) {

    /** Checks that a REGULATED table names its region column and a GLOBAL table does not. */
    public ReplicatedTable {
        Objects.requireNonNull(name, "table.name must not be null");
        Objects.requireNonNull(dataClass, "table.dataClass must not be null");
        if (dataClass == DataClass.REGULATED && regionColumn == null) {
            throw new IllegalArgumentException("table " + name + ": a REGULATED table needs a regionColumn, but was null");
        }
        if (dataClass == DataClass.GLOBAL && regionColumn != null) {
            throw new IllegalArgumentException("table " + name + ": a GLOBAL table has no regionColumn, but was " + regionColumn);
        }
    }

    /** The region column, present for REGULATED tables. */
    public Optional<String> region() {
        return Optional.ofNullable(regionColumn);
    }

    @Override
    public String toString() {
        return dataClass == DataClass.GLOBAL ? name + "[GLOBAL]" : name + "[REGULATED by " + regionColumn + "]";
    }
}
