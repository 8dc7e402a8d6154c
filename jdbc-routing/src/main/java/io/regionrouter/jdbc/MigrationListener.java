package io.regionrouter.jdbc;

/**
 * Hears every step of a {@link RegionMigration} after the step's state and audit record were
 * committed. Called on the migrating thread, in order. A listener that throws stops the migration
 * where it is, as a killed process would; the move is then resumed or rolled back like any
 * interrupted one.
 */
@FunctionalInterface
public interface MigrationListener {

    /**
     * A step was completed and recorded.
     *
     * @param status the move's state after the step
     * @param detail what the step did (counts, hashes, lag), as recorded in the audit table
     */
    void onStep(MoveStatus status, String detail);
}
