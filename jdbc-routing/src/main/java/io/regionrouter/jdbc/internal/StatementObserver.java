package io.regionrouter.jdbc.internal;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.regionrouter.core.Region;
import io.regionrouter.core.Store;
import io.regionrouter.core.support.Sql;
import io.regionrouter.jdbc.JdbcObservation;
import io.regionrouter.jdbc.OutcomeUnknownSQLException;
import io.regionrouter.jdbc.StatementObservationContext;
import java.sql.SQLException;

/**
 * Starts the observation of each statement run on one observed connection, and opens its scope
 * until it ends. A connection gets one
 * only when the router has a registry that is not a no-op, so an unobserved statement costs one
 * null check.
 */
final class StatementObserver {

    private final ObservationRegistry registry;
    private final Store store;
    private final Region region;
    private final Observation checkout;

    /**
     * @param registry the router's registry
     * @param store the store of the routing data source
     * @param region the connection's region
     * @param checkout the checkout that gave the connection: the parent when nothing else is current
     */
    StatementObserver(ObservationRegistry registry, Store store, Region region, Observation checkout) {
        this.registry = registry;
        this.store = store;
        this.region = region;
        this.checkout = checkout;
    }

    /**
     * Starts the observation of one execution.
     *
     * @param sql the statement's text, or null for a batch of plain statements
     * @return the started observation, to be passed to {@link #ended}
     */
    Observation started(String sql) {
        String kind = sql == null ? "BATCH" : Sql.kind(sql);
        StatementObservationContext context = new StatementObservationContext(store, region,
                kind == null ? "unknown" : kind);
        Observation observation = JdbcObservation.STATEMENT.observation(null,
                JdbcObservation.StatementConvention.INSTANCE, () -> context, registry);
        if (registry.getCurrentObservation() == null) {
            observation.parentObservation(checkout);
        }
        observation.start();
        // open while it runs, so what is logged meanwhile carries its region, store and trace
        observation.getContext().put(Observation.Scope.class, observation.openScope());
        return observation;
    }

    /** Ends an execution that the database answered. */
    static void succeeded(Observation observation) {
        if (observation != null) {
            ((StatementObservationContext) observation.getContext()).ended("ok");
        }
    }

    /**
     * Ends an execution that failed.
     *
     * @param observation the execution's observation, or null when not observed
     * @param driver the driver's failure
     * @param thrown what the caller gets
     * @param unreachable whether the database could not be reached
     */
    static void failed(Observation observation, SQLException driver, SQLException thrown, boolean unreachable) {
        if (observation != null) {
            ((StatementObservationContext) observation.getContext()).ended(thrown instanceof OutcomeUnknownSQLException
                    ? "outcome-unknown" : unreachable ? "unreachable" : "error");
            observation.error(driver);
        }
    }

    /** Stops an observation, whatever ended the execution; an unchecked failure leaves it {@code error}. */
    static void stop(Observation observation) {
        if (observation != null) {
            Observation.Scope scope = (Observation.Scope) observation.getContext().remove(Observation.Scope.class);
            if (scope != null) {
                scope.close();
            }
            observation.stop();
        }
    }
}
