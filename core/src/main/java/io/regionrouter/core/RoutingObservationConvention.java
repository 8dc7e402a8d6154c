package io.regionrouter.core;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names a routing observation and its keys. Implement it, and pass it to
 * {@link RegionRouter.Builder#observationConvention}, to rename or add keys; extend
 * {@link DefaultRoutingObservationConvention} to keep the defaults.
 */
public interface RoutingObservationConvention extends ObservationConvention<RoutingObservationContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof RoutingObservationContext;
    }
}
