package io.regionrouter.redis.internal;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.Store;
import io.regionrouter.core.StoreHealth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The health of this instance's store in each region, as the write path, the read path and the
 * replayer see it: the {@link StoreHealth} handles of one {@link Store}, so another store's verdict
 * (a region's PostgreSQL being DOWN) never stops a Redis call. Failures are classified before they
 * are reported: only "could not reach" and "did not answer" count, an error reply is a success.
 * Thread-safe.
 */
public final class RedisHealth {

    private final Store store;
    private final Map<Region, StoreHealth> handles;

    /**
     * Takes the handles of {@code store} in every region.
     *
     * @param health the router's health
     * @param store the store this instance reports under
     * @param regions every region of the topology
     */
    public RedisHealth(RegionHealth health, Store store, List<Region> regions) {
        this.store = store;
        Map<Region, StoreHealth> map = new LinkedHashMap<>();
        for (Region r : regions) {
            map.put(r, health.store(r, store));
        }
        this.handles = Map.copyOf(map);
    }

    /** Returns the store. */
    public Store store() {
        return store;
    }

    /** Returns whether the store is UP in a region. */
    public boolean isUp(Region region) {
        return handles.get(region).isUp();
    }

    /** Reports a call that the region's server answered. */
    public void success(Region region) {
        handles.get(region).recordSuccess();
    }

    /**
     * Classifies a failed call and reports it: as a failure if the server could not be reached or did
     * not answer, as a success if it answered with an error, not at all otherwise.
     *
     * @return the failure's kind
     */
    public FailureKind failure(Region region, Throwable failure) {
        FailureKind kind = Failures.classify(failure);
        if (kind.countsAsFailure()) {
            handles.get(region).recordFailure(Failures.unwrap(failure));
        } else if (kind.answered()) {
            handles.get(region).recordSuccess();
        }
        return kind;
    }
}
