package io.regionrouter.core;

import java.time.Duration;

/**
 * One store's part in moving a user to another region: the user's Redis keys, MongoDB documents or
 * any other copy kept per region. A migration ({@code RegionMigration} of the JDBC module) drives
 * every mover through the same steps as the user's PostgreSQL rows, and keeps the state of the move
 * next to the directory, so a move interrupted at any step is resumed or rolled back for every store
 * at once:
 *
 * <ol>
 *   <li>{@link #copy} source to target, by difference, while the user keeps writing at the source;</li>
 *   <li>{@link #digest} both sides (counts and hashes);</li>
 *   <li>{@link #freeze} the source for a bounded time: the source store refuses the user's writes
 *       with a retryable error;</li>
 *   <li>{@link #copy} again (the catch-up), then the digests of both sides must be equal;</li>
 *   <li>{@link #holdFreeze} just before the directory flips, so the source cannot thaw between the
 *       flip and the fence even if the migrating process dies there;</li>
 *   <li>{@link #fence} the source for good once the directory names the target, and
 *       {@link #clearFence} the target;</li>
 *   <li>{@link #purge} the source's copies after the retention; a rollback purges the target and
 *       {@link #unfreeze}s the source.</li>
 * </ol>
 *
 * <p>Every method is idempotent, because a resumed move repeats the step it was interrupted in, and
 * may be called from any process (the state lives in the stores, not in the mover). Methods may
 * throw a {@link RuntimeException} when the store fails; the migration then stops where it was and
 * can be resumed or rolled back. Implementations must be thread-safe.
 */
public interface UserDataMover {

    /**
     * A short name of the store, such as {@code "redis"}, used in audit rows and reports.
     *
     * @return the name
     */
    String name();

    /**
     * Copies the user's data from {@code source} to {@code target}, writing only what differs, and
     * deletes from the target what the source no longer holds. Never moves anything the other way.
     *
     * @param userId the user
     * @param source the region the user lives in
     * @param target the region the user moves to
     * @return how many items (keys, documents) were written or deleted in the target
     */
    long copy(String userId, Region source, Region target);

    /**
     * Counts and hashes the user's data in one region, over the content that moves with the user
     * (not over fields the copy rewrites, such as a document's region field), so two regions holding
     * the same data have equal digests.
     *
     * @param userId the user
     * @param region the region
     * @return the digest
     */
    Digest digest(String userId, Region region);

    /**
     * Makes the region's store refuse the user's writes with a retryable error for at most
     * {@code bound}, enforced by the store itself, so a freeze whose migrating process died thaws by
     * itself. Writes acknowledged before this returns are visible to the following {@link #copy}.
     *
     * @param userId the user
     * @param region the source region
     * @param bound the longest freeze
     */
    void freeze(String userId, Region region, Duration bound);

    /**
     * Keeps the freeze of the user in the region without its time bound, if it is still on.
     *
     * @param userId the user
     * @param region the source region
     * @param verified the source's digest at the catch-up's verification (equal to the target's); a
     *     store whose fence is not atomic with its writes can compare against it at {@link #fence}
     *     to find a write that slipped past the freeze
     * @return how many milliseconds of the freeze were left, 0 if it had already thawed (nothing is held then)
     */
    long holdFreeze(String userId, Region region, Digest verified);

    /**
     * Ends a freeze (after a rollback). Leaves a fence alone.
     *
     * @param userId the user
     * @param region the source region
     */
    void unfreeze(String userId, Region region);

    /**
     * Makes the region's store refuse the user's writes for good: the user moved to {@code movedTo}
     * at the directory epoch {@code epoch}. Replaces a freeze.
     *
     * @param userId the user
     * @param region the old region
     * @param movedTo the new home
     * @param epoch the directory epoch of the flip
     */
    void fence(String userId, Region region, Region movedTo, long epoch);

    /**
     * Removes a fence or freeze of the user in the region (the user lives there now, or moves there).
     *
     * @param userId the user
     * @param region the region
     */
    void clearFence(String userId, Region region);

    /**
     * Deletes the user's data in one region of this store, and only there.
     *
     * @param userId the user
     * @param region the region
     * @return how many items were deleted
     */
    long purge(String userId, Region region);

    /**
     * The count and hash of a user's data in one region.
     *
     * @param items how many items (keys, documents)
     * @param hash a hash over the items in a fixed order, hex
     */
    record Digest(long items, String hash) {
        @Override
        public String toString() {
            return items + " items, hash " + (hash.length() > 12 ? hash.substring(0, 12) : hash);
        }
    }
}
