package io.regionrouter.mongo;

import io.regionrouter.core.Region;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link RegionalMongoClients#strayDocuments(String)} found: per cluster, the documents of a
 * collection whose region field names another home region. They were written there while their home
 * region's MongoDB was DOWN (a failover into a {@code multiWriter} region), and
 * {@link RegionalMongoClients#forUser(String)} does not read them once the home region is back.
 * Immutable.
 *
 * @param collection the collection audited
 * @param byCluster per cluster audited, the count of stray documents per home region id (a
 *     document without a usable region value counts under {@code "?"}); clusters with none map to an
 *     empty map
 * @param unreachable clusters that were DOWN or did not answer, so were not audited
 */
public record StrayDocuments(String collection, Map<Region, Map<String, Long>> byCluster, List<Region> unreachable) {

    /** Copies the collections. */
    public StrayDocuments {
        Map<Region, Map<String, Long>> copy = new LinkedHashMap<>();
        byCluster.forEach((region, counts) -> copy.put(region, Map.copyOf(counts)));
        byCluster = java.util.Collections.unmodifiableMap(copy);
        unreachable = List.copyOf(unreachable);
    }

    /** Returns the number of stray documents over every cluster audited. */
    public long total() {
        return byCluster.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum();
    }
}
