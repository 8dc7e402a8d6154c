package io.regionrouter.core.internal;

import io.regionrouter.core.DirectoryEntry;
import io.regionrouter.core.Region;
import java.util.Optional;

/**
 * One cache value: a home region, or none for an unknown user, with the epoch it was read at. An
 * unknown user, and any answer of a directory without epochs, has epoch 0, below every assignment.
 *
 * @param home the home region, or null for an unknown user
 * @param epoch the epoch, &gt;= 0
 */
public record CachedHome(Region home, long epoch) {

    /** The value of an unknown user. */
    public static final CachedHome UNKNOWN = new CachedHome(null, 0);

    /** The value of an entry. */
    public static CachedHome of(DirectoryEntry entry) {
        return new CachedHome(entry.home(), entry.epoch());
    }

    /** The home region as an optional. */
    public Optional<Region> region() {
        return Optional.ofNullable(home);
    }

    /** Whether the user is known. */
    public boolean known() {
        return home != null;
    }

    /** The newer of two values; {@code candidate} wins a tie, so a directory without epochs still refreshes. */
    public static CachedHome newer(CachedHome current, CachedHome candidate) {
        if (current == null) {
            return candidate;
        }
        return candidate.epoch >= current.epoch ? candidate : current;
    }
}
