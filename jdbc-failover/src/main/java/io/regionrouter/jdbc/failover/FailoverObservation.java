package io.regionrouter.jdbc.failover;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations of {@link FailoverManager}, in the router's
 * {@link io.regionrouter.core.RegionRouter#observationRegistry() registry}: one per failover (detected,
 * drill or manual), with one child per phase, so a trace shows how long detection took (a key: it
 * happened before the failover started) and the fencing, promotion, pool switch and first write.
 */
public enum FailoverObservation implements ObservationDocumentation {

    /** One failover of a region, from the decision to promote until the first write on the new primary. */
    FAILOVER {
        @Override
        public String getName() {
            return "region.router.failover";
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return new KeyName[] {Keys.STORE, Keys.REGION, Keys.TRIGGER, Keys.OUTCOME};
        }

        @Override
        public KeyName[] getHighCardinalityKeyNames() {
            return new KeyName[] {Keys.FROM, Keys.TO, Keys.DETECTION};
        }
    },

    /** One phase of a failover, a child of {@link #FAILOVER}: fence, promote, switch or first-write. */
    PHASE {
        @Override
        public String getName() {
            return "region.router.failover.phase";
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return new KeyName[] {Keys.STORE, Keys.REGION, Keys.PHASE};
        }
    };

    /** The keys. */
    public enum Keys implements KeyName {
        /** {@code postgres}. */
        STORE {
            @Override
            public String asString() {
                return "region.router.store";
            }
        },
        /** The region failed over. */
        REGION {
            @Override
            public String asString() {
                return "region.router.region";
            }
        },
        /** detected, drill or manual. */
        TRIGGER {
            @Override
            public String asString() {
                return "region.router.failover.trigger";
            }
        },
        /** completed or failed. */
        OUTCOME {
            @Override
            public String asString() {
                return "region.router.outcome";
            }
        },
        /** fence (switchover only), promote, switch (the pools follow the new primary) or first-write. */
        PHASE {
            @Override
            public String asString() {
                return "region.router.failover.phase";
            }
        },
        /** The old primary's name; traces only. */
        FROM {
            @Override
            public String asString() {
                return "region.router.failover.from";
            }
        },
        /** The promoted standby's name; traces only. */
        TO {
            @Override
            public String asString() {
                return "region.router.failover.to";
            }
        },
        /** From the last successful probe (or a drill's start) to the decision, in milliseconds; traces only. */
        DETECTION {
            @Override
            public String asString() {
                return "region.router.failover.detection.ms";
            }
        }
    }
}
