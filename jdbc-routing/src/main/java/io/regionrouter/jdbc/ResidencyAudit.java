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
 * @param movedUserRows rows of users who moved away from this region and whose retention has
 *     passed, per user ({@link RegionMigration#audit}); empty from {@link ResidencySchema#audit}
 */
public record ResidencyAudit(String table, Region databaseRegion, Map<String, Long> misplacedRows,
        Map<String, Long> movedUserRows) {

    /** Copies the maps and checks the arguments. */
    public ResidencyAudit {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(databaseRegion, "databaseRegion");
        misplacedRows = Map.copyOf(misplacedRows);
        movedUserRows = Map.copyOf(movedUserRows);
    }

    /**
     * An audit without moved users.
     *
     * @param table the audited table
     * @param databaseRegion the region of the audited database
     * @param misplacedRows the number of misplaced rows per value of the region column
     */
    public ResidencyAudit(String table, Region databaseRegion, Map<String, Long> misplacedRows) {
        this(table, databaseRegion, misplacedRows, Map.of());
    }

    /** True when no row is stored outside the regions this database may hold, and no moved user's row is left. */
    public boolean isClean() {
        return misplacedRows.isEmpty() && movedUserRows.isEmpty();
    }

    /** The number of rows left behind by users who moved away, after their retention. */
    public long movedUserRowCount() {
        return movedUserRows.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The total number of misplaced rows. */
    public long misplacedRowCount() {
        return misplacedRows.values().stream().mapToLong(Long::longValue).sum();
    }
}
