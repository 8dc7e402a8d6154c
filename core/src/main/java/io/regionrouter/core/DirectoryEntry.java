package io.regionrouter.core;

import java.util.Objects;

/**
 * A user's home region together with the epoch of the assignment that set it.
 *
 * <p>The epoch is per user and monotonic: every assignment of the user raises it, so of two answers
 * for one user the one with the higher epoch is the newer, whichever copy of the directory it came
 * from. {@link CachingRegionDirectory} never replaces an entry with one of a lower epoch.
 *
 * @param home the home region
 * <p>Epoch 0 stands for "no epoch": the answer of a directory that does not keep them.
 *
 * @param epoch the assignment's epoch, &gt;= 0
 */
public record DirectoryEntry(Region home, long epoch) {

    /**
     * Checks the fields.
     *
     * @throws NullPointerException if {@code home} is null
     * @throws IllegalArgumentException if {@code epoch} is negative
     */
    public DirectoryEntry {
        Objects.requireNonNull(home, "home");
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, but was " + epoch);
        }
    }
}
