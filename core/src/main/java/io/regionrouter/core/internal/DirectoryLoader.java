package io.regionrouter.core.internal;

import com.github.benmanes.caffeine.cache.CacheLoader;
import io.regionrouter.core.DirectoryEntry;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionDirectory;
import io.regionrouter.core.VersionedRegionDirectory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Loads cache entries from a delegate directory. Unknown users load as {@link CachedHome#UNKNOWN} so
 * they can be cached negatively; a delegate failure propagates (and so is never cached).
 *
 * <p>A loaded value never goes below what the cache already knows: the newest entry learned from a
 * notification ({@code known}) wins over an older answer of a lagging copy, and a refresh keeps the
 * old value when the reload returns a lower epoch. Thread-safe if the delegate is.
 */
public final class DirectoryLoader implements CacheLoader<String, CachedHome> {

    private final RegionDirectory delegate;
    private final Function<String, CachedHome> known;

    /**
     * Creates the loader.
     *
     * @param delegate the directory to load from
     * @param known the newest value learned for a user outside loads, or null
     */
    public DirectoryLoader(RegionDirectory delegate, Function<String, CachedHome> known) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.known = Objects.requireNonNull(known, "known");
    }

    @Override
    public CachedHome load(String userId) {
        CachedHome loaded;
        if (delegate instanceof VersionedRegionDirectory versioned) {
            Optional<DirectoryEntry> entry = versioned.lookupEntry(userId);
            Objects.requireNonNull(entry, () -> "directory returned null instead of Optional for user " + userId);
            loaded = entry.map(CachedHome::of).orElse(CachedHome.UNKNOWN);
        } else {
            Optional<Region> home = delegate.lookup(userId);
            Objects.requireNonNull(home, () -> "directory returned null instead of Optional for user " + userId);
            loaded = home.map(r -> new CachedHome(r, 0)).orElse(CachedHome.UNKNOWN);
        }
        return floor(userId, loaded);
    }

    @Override
    public CachedHome reload(String userId, CachedHome oldValue) {
        return CachedHome.newer(oldValue, load(userId));
    }

    @Override
    public Map<String, CachedHome> loadAll(Set<? extends String> userIds) {
        Map<String, CachedHome> out = new LinkedHashMap<>();
        if (delegate instanceof VersionedRegionDirectory versioned) {
            Map<String, DirectoryEntry> found = versioned.lookupAllEntries(List.copyOf(userIds));
            Objects.requireNonNull(found, "directory returned null from lookupAllEntries");
            for (String userId : userIds) {
                DirectoryEntry e = found.get(userId);
                out.put(userId, floor(userId, e == null ? CachedHome.UNKNOWN : CachedHome.of(e)));
            }
        } else {
            Map<String, Region> found = delegate.lookupAll(List.copyOf(userIds));
            Objects.requireNonNull(found, "directory returned null from lookupAll");
            for (String userId : userIds) {
                Region r = found.get(userId);
                out.put(userId, floor(userId, r == null ? CachedHome.UNKNOWN : new CachedHome(r, 0)));
            }
        }
        return out;
    }

    private CachedHome floor(String userId, CachedHome loaded) {
        CachedHome newest = known.apply(userId);
        // a tie goes to the notification: it is what the directory committed at that epoch
        return newest != null && newest.epoch() >= loaded.epoch() && newest.epoch() > 0 ? newest : loaded;
    }
}
