package io.regionrouter.jdbc;

import io.micrometer.observation.Observation;
import io.regionrouter.core.Region;
import io.regionrouter.core.Store;
import java.util.Optional;

/**
 * What one connection checkout through the routing {@code DataSource} knows, for its observation:
 * the store, and once it ends, the region whose pool gave the connection and how it ended
 * ({@code ok}, {@code unavailable}, {@code refused} for a residency or context failure, {@code error}).
 */
public final class CheckoutObservationContext extends Observation.Context {

    private final Store store;
    private Region region;
    private String outcome = "unknown";

    /**
     * Creates the context.
     *
     * @param store the store of the routing data source
     */
    public CheckoutObservationContext(Store store) {
        this.store = store;
    }

    /** The store. */
    public Store store() {
        return store;
    }

    /** The region whose pool gave the connection, once one did. */
    public Optional<Region> region() {
        return Optional.ofNullable(region);
    }

    /** How the checkout ended. */
    public String outcome() {
        return outcome;
    }

    /**
     * Records the end of the checkout.
     *
     * @param region the region, or null when none gave a connection
     * @param outcome ok, unavailable, refused or error
     */
    public void ended(Region region, String outcome) {
        this.region = region;
        this.outcome = outcome;
    }
}
