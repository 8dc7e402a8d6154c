package io.regionrouter.core;

import io.micrometer.observation.Observation;
import java.util.List;
import java.util.Optional;

/**
 * What one routing decision knows, for its observation: the request (store, data class, access,
 * user) and the answer (region, outcome, regions skipped as DOWN, whether the home region came from
 * the directory's cache). Filled in by {@link RegionRouter} while it decides; read by a
 * {@link RoutingObservationConvention} when the observation stops.
 */
public final class RoutingObservationContext extends Observation.Context {

    private final Store store;
    private final String userId;
    private final DataClass dataClass;
    private final Access access;
    private final boolean userIdObserved;
    private Region region;
    private RoutingOutcome outcome;
    private List<Region> skipped = List.of();
    private DirectoryUse directory = DirectoryUse.NOT_ASKED;

    RoutingObservationContext(Store store, String userId, DataClass dataClass, Access access, boolean userIdObserved) {
        this.store = store;
        this.userId = userId;
        this.dataClass = dataClass;
        this.access = access;
        this.userIdObserved = userIdObserved;
    }

    /** The store whose health counted. */
    public Store store() {
        return store;
    }

    /**
     * The user, only when the router was built to observe user ids
     * ({@link RegionRouter.Builder#observeUserIds(boolean)}); user ids are personal data.
     */
    public Optional<String> userId() {
        return userIdObserved ? Optional.ofNullable(userId) : Optional.empty();
    }

    /** The data class asked for. */
    public DataClass dataClass() {
        return dataClass;
    }

    /** Read or write. */
    public Access access() {
        return access;
    }

    /** The region chosen, if one was. */
    public Optional<Region> region() {
        return Optional.ofNullable(region);
    }

    /** How the decision ended; null while deciding. */
    public RoutingOutcome outcome() {
        return outcome;
    }

    /** The candidates skipped because the store was DOWN there, in order. */
    public List<Region> skipped() {
        return skipped;
    }

    /** Whether and how the directory was asked for the user's home region. */
    public DirectoryUse directory() {
        return directory;
    }

    void directory(DirectoryUse use) {
        this.directory = use;
    }

    void routed(Region chosen, RoutingOutcome how, List<Region> skippedAsDown) {
        this.region = chosen;
        this.outcome = how;
        this.skipped = List.copyOf(skippedAsDown);
    }

    void failed(RuntimeException e) {
        this.outcome = RoutingOutcome.of(e);
    }

    /** How a decision used the directory of home regions. */
    public enum DirectoryUse {
        /** Not at all: GLOBAL data, or an explicit region without a user. */
        NOT_ASKED,
        /** The home region was in the cache. */
        CACHE_HIT,
        /** The home region was looked up in the directory. */
        LOOKUP;

        /** The value for a key: {@code not-asked}, {@code cache-hit} or {@code lookup}. */
        public String value() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }
}
