package io.regionrouter.jdbc;

import io.micrometer.observation.Observation;
import io.regionrouter.core.Region;
import io.regionrouter.core.Store;
import java.util.Objects;

/**
 * What one statement execution on a connection of the routing {@code DataSource} knows, for its
 * observation: the store, the region whose database runs it, the statement's kind (its first word,
 * never its text) and, once it ends, how it ended ({@code ok}, {@code error}, {@code unreachable},
 * {@code outcome-unknown}).
 */
public final class StatementObservationContext extends Observation.Context {

    private final Store store;
    private final Region region;
    private final String sqlKind;
    private String outcome = "error";

    /**
     * Creates the context.
     *
     * @param store the store of the routing data source
     * @param region the region of the connection
     * @param sqlKind the statement's first word in upper case, or {@code BATCH} or {@code unknown}
     */
    public StatementObservationContext(Store store, Region region, String sqlKind) {
        this.store = Objects.requireNonNull(store, "store");
        this.region = Objects.requireNonNull(region, "region");
        this.sqlKind = Objects.requireNonNull(sqlKind, "sqlKind");
    }

    /** The store. */
    public Store store() {
        return store;
    }

    /** The region whose database runs the statement. */
    public Region region() {
        return region;
    }

    /** The statement's kind: its first word in upper case, {@code BATCH} or {@code unknown}. */
    public String sqlKind() {
        return sqlKind;
    }

    /** How the execution ended; {@code error} until it ended otherwise. */
    public String outcome() {
        return outcome;
    }

    /**
     * Records the end of the execution.
     *
     * @param outcome ok, error, unreachable or outcome-unknown
     */
    public void ended(String outcome) {
        this.outcome = Objects.requireNonNull(outcome, "outcome");
    }
}
