package io.regionrouter.core;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/** The observations of {@link RegionRouter}, with their keys. */
public enum RoutingObservation implements ObservationDocumentation {

    /**
     * One routing decision: which region serves a call to a store, and why. Started and stopped inside
     * {@link RegionRouter#route}; a decision reused from an open scope
     * ({@link RegionRouter#routeCurrent}) is not observed again.
     */
    ROUTE {
        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultRoutingObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return LowCardinalityKeys.values();
        }

        @Override
        public KeyName[] getHighCardinalityKeyNames() {
            return HighCardinalityKeys.values();
        }
    };

    /** Keys with few values: tags of the observation's meters. */
    public enum LowCardinalityKeys implements KeyName {
        /** The store whose health counted: postgres, redis, mongo, or the application's. */
        STORE {
            @Override
            public String asString() {
                return "region.router.store";
            }
        },
        /** The region chosen, or {@code none}. */
        REGION {
            @Override
            public String asString() {
                return "region.router.region";
            }
        },
        /** regulated or global. */
        DATA_CLASS {
            @Override
            public String asString() {
                return "region.router.data.class";
            }
        },
        /** read or write. */
        ACCESS {
            @Override
            public String asString() {
                return "region.router.access";
            }
        },
        /** A {@link RoutingOutcome}: first-choice, fallback, explicit, unavailable, denied, unknown-user, directory-error, invalid. */
        OUTCOME {
            @Override
            public String asString() {
                return "region.router.outcome";
            }
        },
        /** not-asked, cache-hit or lookup. */
        DIRECTORY {
            @Override
            public String asString() {
                return "region.router.directory";
            }
        }
    }

    /** Keys with many values: traces only. */
    public enum HighCardinalityKeys implements KeyName {
        /** The regions skipped because the store was DOWN there, comma-separated, or {@code none}. */
        SKIPPED {
            @Override
            public String asString() {
                return "region.router.skipped";
            }
        },
        /** The user id; only with {@link RegionRouter.Builder#observeUserIds(boolean)}, since it is personal data. */
        USER {
            @Override
            public String asString() {
                return "region.router.user";
            }
        }
    }
}
