package io.regionrouter.jdbc;

import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.support.Sql;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A regulated table that {@link RegionMigration} moves: its {@link ResidencySchema} (columns,
 * primary key, region column) and the column that holds the user id.
 *
 * @param schema the table's residency schema; it must declare a primary key
 * @param userColumn a declared column holding the user id (any type whose text form is the id)
 */
public record MovedTable(ResidencySchema schema, String userColumn) {

    /**
     * Checks the table.
     *
     * @throws InvalidConfigurationException if the user column is not declared or the schema has no primary key
     */
    public MovedTable {
        Objects.requireNonNull(schema, "schema must not be null");
        Sql.identifier("userColumn", userColumn, Sql.MAX_IDENTIFIER_LENGTH);
        if (!schema.columns().containsKey(userColumn)) {
            throw new InvalidConfigurationException("userColumn", userColumn, "userColumn must be a declared column of "
                    + schema.table() + " " + schema.columns().keySet() + ", but was " + userColumn);
        }
        if (schema.primaryKey().isEmpty()) {
            throw new InvalidConfigurationException("schema", schema.table(), "schema of " + schema.table()
                    + " must declare a primary key, which the move compares rows by, but declares none");
        }
    }

    /** The table name. */
    public String table() {
        return schema.table();
    }

    /** The declared columns, without the region column. */
    public List<String> columns() {
        return List.copyOf(schema.columns().keySet());
    }

    /** The primary key without the region column. */
    public List<String> key() {
        return schema.primaryKey();
    }

    /** The region column. */
    public String regionColumn() {
        return schema.regionColumn();
    }

    /** The columns to update on a conflict: the declared ones outside the key. */
    List<String> valueColumns() {
        Map<String, String> all = schema.columns();
        return all.keySet().stream().filter(c -> !key().contains(c)).toList();
    }
}
