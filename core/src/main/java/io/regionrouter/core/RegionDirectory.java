package io.regionrouter.core;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * SPI that answers "which region is this user's home?".
 *
 * <p>Implementations: {@link StaticRegionDirectory} (a fixed map), a JDBC directory table in the
 * jdbc-routing module, resolvers for ids that carry their region. Wrap a slow directory in a
 * {@link CachingRegionDirectory}.
 *
 * <p><b>Threading:</b> implementations must be thread-safe; they are called from many application
 * threads at once.
 *
 * <p><b>Failures:</b> an unknown user is an answer, {@link Optional#empty()}, not an exception. A
 * directory that cannot answer (its store is down, say) throws; callers such as
 * {@link RegionRouter} and {@link CachingRegionDirectory} wrap that into a
 * {@link DirectoryLookupException} carrying the user id and the cause. A failure is never mapped to a
 * default region.
 */
public interface RegionDirectory {

    /**
     * Returns the home region of a user.
     *
     * @param userId the user id, never null
     * @return the home region, or empty if the user is unknown
     * @throws RuntimeException if the directory cannot answer
     */
    Optional<Region> lookup(String userId);

    /**
     * Returns the home regions of many users. Users without a home region are absent from the map.
     * The default calls {@link #lookup} once per user; stores that can answer in one round trip
     * should override it.
     *
     * @param userIds the user ids
     * @return a map from user id to home region, for the known users only
     * @throws RuntimeException if the directory cannot answer
     */
    default Map<String, Region> lookupAll(Collection<String> userIds) {
        Map<String, Region> out = new LinkedHashMap<>();
        for (String userId : userIds) {
            lookup(userId).ifPresent(region -> out.put(userId, region));
        }
        return out;
    }
}
