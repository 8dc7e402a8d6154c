package io.regionrouter.core.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import com.github.benmanes.caffeine.cache.CacheLoader;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionDirectory;

/**
 * Loads cache entries from a delegate directory. Unknown users load as {@link Optional#empty()} so
 * they can be cached negatively; a delegate failure propagates (and so is never cached).
 * Thread-safe if the delegate is.
 */
public final class DirectoryLoader implements CacheLoader<String, Optional<Region>> {

    private final RegionDirectory delegate;

    /**
     * Creates the loader.
     *
     * @param delegate the directory to load from
     */
    public DirectoryLoader(RegionDirectory delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public Optional<Region> load(String userId) {
        Optional<Region> home = delegate.lookup(userId);
        return Objects.requireNonNull(home, () -> "directory returned null instead of Optional for user " + userId);
    }

    @Override
    public Map<String, Optional<Region>> loadAll(Set<? extends String> userIds) {
        Map<String, Region> found = delegate.lookupAll(List.copyOf(userIds));
        Objects.requireNonNull(found, "directory returned null from lookupAll");
        Map<String, Optional<Region>> out = new LinkedHashMap<>();
        for (String userId : userIds) {
            out.put(userId, Optional.ofNullable(found.get(userId)));
        }
        return out;
    }
}
