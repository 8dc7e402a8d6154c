package io.regionrouter.jdbc;

import io.regionrouter.core.Region;
import java.util.Map;
import java.util.Objects;

/**
 * The result of {@link ResidencySchema#audit(javax.sql.DataSource, String, Region)}: how many rows
 * of a table, per region value, are stored in a database whose region may not hold them.
 *
 * @param table the audited table
 * @param databaseRegion the region of the audited database
 * @param misplacedRows the number of misplaced rows per value of the region column, sorted by value;
 *     empty when the table is clean
 */
public record ResidencyAudit(String table, Region databaseRegion, Map<String, Long> misplacedRows) {

    /** Copies the map and checks the arguments. */
    public ResidencyAudit {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(databaseRegion, "databaseRegion");
        misplacedRows = Map.copyOf(misplacedRows);
    }

    /** True when no row is stored outside the regions this database may hold. */
    public boolean isClean() {
        return misplacedRows.isEmpty();
    }

    /** The total number of misplaced rows. */
    public long misplacedRowCount() {
        return misplacedRows.values().stream().mapToLong(Long::longValue).sum();
    }
}
