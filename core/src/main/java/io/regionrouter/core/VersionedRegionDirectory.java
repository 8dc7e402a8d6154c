package io.regionrouter.core;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link RegionDirectory} that also answers with each user's epoch, so that a cache can tell a
 * newer answer from an older one: an answer read from a copy that lags behind the primary carries
 * the older epoch. {@link CachingRegionDirectory} uses it when its delegate implements it.
 *
 * <p>Same threading and failure rules as {@link RegionDirectory}.
 */
public interface VersionedRegionDirectory extends RegionDirectory {

    /**
     * Returns the user's home region and epoch.
     *
     * @param userId the user id, never null
     * @return the entry, or empty if the user is unknown
     * @throws RuntimeException if the directory cannot answer
     */
    Optional<DirectoryEntry> lookupEntry(String userId);

    /**
     * Returns the entries of many users; unknown users are absent. The default calls
     * {@link #lookupEntry} once per user.
     *
     * @param userIds the user ids
     * @return user id to entry, for the known users only
     * @throws RuntimeException if the directory cannot answer
     */
    default Map<String, DirectoryEntry> lookupAllEntries(Collection<String> userIds) {
        Map<String, DirectoryEntry> out = new LinkedHashMap<>();
        for (String userId : userIds) {
            lookupEntry(userId).ifPresent(e -> out.put(userId, e));
        }
        return out;
    }

    @Override
    default Optional<Region> lookup(String userId) {
        return lookupEntry(userId).map(DirectoryEntry::home);
    }

    @Override
    default Map<String, Region> lookupAll(Collection<String> userIds) {
        Map<String, Region> out = new LinkedHashMap<>();
        lookupAllEntries(userIds).forEach((user, entry) -> out.put(user, entry.home()));
        return out;
    }
}
