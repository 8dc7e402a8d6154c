package io.regionrouter.jdbc;

/**
 * The steps of a {@link RegionMigration}, in order, as kept in the directory's moves table. A move
 * interrupted before {@link #FLIPPED} is resumed from its last copy (copies are by difference, so
 * nothing is copied twice) or rolled back; from {@link #FLIPPED} on it only goes forward.
 */
public enum MoveState {
    /** Recorded; nothing copied yet. */
    PLANNED,
    /** The user's rows were copied to the target while the user kept writing at the source. */
    COPIED,
    /** Counts and hashes of both sides were compared and recorded (they may still differ by the writes since). */
    VERIFIED,
    /** The source database refuses the user's writes with a retryable error, for a bounded time. */
    FROZEN,
    /** The writes made before the freeze were copied; both sides have equal counts and hashes. */
    CAUGHT_UP,
    /** The directory names the target, with a new epoch (a compare-and-set on the user's epoch). */
    FLIPPED,
    /** The source database refuses the user's writes for good; its copies wait for the retention. */
    FENCED,
    /** The source's copies were deleted after the retention. */
    DONE,
    /** The move was undone before the flip: the target's copies deleted, the source unfrozen. */
    ROLLED_BACK;

    /** Whether the directory still names the source. */
    public boolean beforeFlip() {
        return ordinal() < FLIPPED.ordinal() || this == ROLLED_BACK;
    }

    /** Whether the move is over. */
    public boolean finished() {
        return this == DONE || this == ROLLED_BACK;
    }
}
