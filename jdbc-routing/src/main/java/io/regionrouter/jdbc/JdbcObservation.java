package io.regionrouter.jdbc;

import io.micrometer.common.KeyValues;
import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;
import io.regionrouter.core.Region;

/**
 * The observations of the routing {@code DataSource}, in the router's
 * {@link io.regionrouter.core.RegionRouter#observationRegistry() registry}.
 */
public enum JdbcObservation implements ObservationDocumentation {

    /**
     * One {@code getConnection()} of the routing data source: the routing decision (a
     * {@code region.router.route} observation inside it when decided on the caller's thread) and the
     * checkout from the region's pool, fallbacks included.
     */
    CHECKOUT {
        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return CheckoutConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return CheckoutKeys.values();
        }
    };

    /** Keys of {@link #CHECKOUT}, all low-cardinality. */
    public enum CheckoutKeys implements KeyName {
        /** The store of the routing data source. */
        STORE {
            @Override
            public String asString() {
                return "region.router.store";
            }
        },
        /** The region whose pool gave the connection, or {@code none}. */
        REGION {
            @Override
            public String asString() {
                return "region.router.region";
            }
        },
        /** ok, unavailable, refused or error. */
        OUTCOME {
            @Override
            public String asString() {
                return "region.router.outcome";
            }
        }
    }

    /** The default names of {@link #CHECKOUT}: {@code region.router.jdbc.checkout}, contextual name {@code checkout <store>}. */
    public static class CheckoutConvention implements ObservationConvention<CheckoutObservationContext> {

        /** The shared instance. */
        public static final CheckoutConvention INSTANCE = new CheckoutConvention();

        @Override
        public boolean supportsContext(Observation.Context context) {
            return context instanceof CheckoutObservationContext;
        }

        @Override
        public String getName() {
            return "region.router.jdbc.checkout";
        }

        @Override
        public String getContextualName(CheckoutObservationContext context) {
            return "checkout " + context.store().name();
        }

        @Override
        public KeyValues getLowCardinalityKeyValues(CheckoutObservationContext context) {
            return KeyValues.of(CheckoutKeys.STORE.withValue(context.store().name()),
                    CheckoutKeys.REGION.withValue(context.region().map(Region::id).orElse("none")),
                    CheckoutKeys.OUTCOME.withValue(context.outcome()));
        }
    }
}
