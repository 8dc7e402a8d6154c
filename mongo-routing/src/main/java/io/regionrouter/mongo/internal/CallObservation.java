package io.regionrouter.mongo.internal;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.regionrouter.core.OutcomeUnknownException;
import io.regionrouter.core.Region;
import io.regionrouter.core.Store;
import io.regionrouter.mongo.MongoObservation;

/**
 * The observation of one call of a region-bound proxy ({@link MongoObservation#CALL}), with its scope
 * open until the call ends, so what is logged meanwhile carries the region, the store and the trace.
 */
final class CallObservation {

    private static final String OUTCOME = MongoObservation.Keys.OUTCOME.asString();

    private CallObservation() {
    }

    /** Starts the observation of a call and opens its scope; the outcome is {@code ok} unless it fails. */
    static Observation start(ObservationRegistry registry, Region region, String operation) {
        Observation observation = Observation.createNotStarted(MongoObservation.CALL.getName(), registry)
                .contextualName(operation + " mongo")
                .lowCardinalityKeyValue(MongoObservation.Keys.STORE.asString(), Store.MONGO.name())
                .lowCardinalityKeyValue(MongoObservation.Keys.REGION.asString(), region.id())
                .lowCardinalityKeyValue(MongoObservation.Keys.OPERATION.asString(), operation)
                .lowCardinalityKeyValue(OUTCOME, "ok").start();
        observation.getContext().put(Observation.Scope.class, observation.openScope());
        return observation;
    }

    /** Records a failed call: {@code outcome-unknown} when the caller is told the write may have been applied. */
    static void failed(Observation observation, Throwable driver, Throwable thrown) {
        if (observation != null) {
            observation.lowCardinalityKeyValue(OUTCOME, thrown instanceof OutcomeUnknownException ? "outcome-unknown" : "error");
            observation.error(driver);
        }
    }

    /** Closes the scope and stops the observation. */
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
