package io.regionrouter.core;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.regionrouter.core.RoutingObservation.HighCardinalityKeys;
import io.regionrouter.core.RoutingObservation.LowCardinalityKeys;
import java.util.stream.Collectors;

/**
 * The default names of a routing observation: {@code region.router.route}, contextual name
 * {@code route <store>}, and the keys of {@link RoutingObservation#ROUTE}. Low-cardinality keys
 * become meter tags; high-cardinality ones go to traces only.
 */
public class DefaultRoutingObservationConvention implements RoutingObservationConvention {

    /** The shared instance. */
    public static final DefaultRoutingObservationConvention INSTANCE = new DefaultRoutingObservationConvention();

    private static final String NONE = "none";

    @Override
    public String getName() {
        return "region.router.route";
    }

    @Override
    public String getContextualName(RoutingObservationContext context) {
        return "route " + context.store().name();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(RoutingObservationContext context) {
        return KeyValues.of(
                LowCardinalityKeys.STORE.withValue(context.store().name()),
                LowCardinalityKeys.REGION.withValue(context.region().map(Region::id).orElse(NONE)),
                LowCardinalityKeys.DATA_CLASS.withValue(context.dataClass().name().toLowerCase(java.util.Locale.ROOT)),
                LowCardinalityKeys.ACCESS.withValue(context.access().name().toLowerCase(java.util.Locale.ROOT)),
                LowCardinalityKeys.OUTCOME.withValue(context.outcome() == null ? "unknown" : context.outcome().value()),
                LowCardinalityKeys.DIRECTORY.withValue(context.directory().value()));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(RoutingObservationContext context) {
        KeyValues values = KeyValues.of(HighCardinalityKeys.SKIPPED.withValue(
                context.skipped().isEmpty() ? NONE : context.skipped().stream().map(Region::id).collect(Collectors.joining(","))));
        return context.userId().map(user -> values.and(KeyValue.of(HighCardinalityKeys.USER.asString(), user))).orElse(values);
    }
}
