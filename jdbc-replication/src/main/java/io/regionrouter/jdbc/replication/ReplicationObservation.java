package io.regionrouter.jdbc.replication;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations of {@link ReplicationMonitor}, in the registry given to
 * {@link ReplicationMonitor.Builder#observationRegistry}: one per poll, with one child per
 * replication path it judged, so the lag of each path at each poll is on the trace.
 */
public enum ReplicationObservation implements ObservationDocumentation {

    /** One poll of every monitored database; outcome {@code ok}, or {@code partial} when a database could not be read. */
    POLL {
        @Override
        public String getName() {
            return "region.router.jdbc.replication.poll";
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return new KeyName[] {Keys.STORE, Keys.OUTCOME};
        }
    },

    /** One replication path as a poll judged it, a child of {@link #POLL}. */
    LINK {
        @Override
        public String getName() {
            return "region.router.jdbc.replication.link";
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return new KeyName[] {Keys.STORE, Keys.REGION, Keys.TARGET, Keys.KIND, Keys.OUTCOME};
        }

        @Override
        public KeyName[] getHighCardinalityKeyNames() {
            return new KeyName[] {Keys.LAG};
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
        /** The region that sends. */
        REGION {
            @Override
            public String asString() {
                return "region.router.region";
            }
        },
        /** The receiving region's id, or the standby's name. */
        TARGET {
            @Override
            public String asString() {
                return "region.router.replication.target";
            }
        },
        /** {@code logical} or {@code physical}. */
        KIND {
            @Override
            public String asString() {
                return "region.router.replication.kind";
            }
        },
        /**
         * For a poll: ok or partial. For a path: up, or down (broken after the grace period).
         */
        OUTCOME {
            @Override
            public String asString() {
                return "region.router.outcome";
            }
        },
        /** The path's replay lag in milliseconds, or {@code unknown}; high cardinality, traces only. */
        LAG {
            @Override
            public String asString() {
                return "region.router.replication.lag.ms";
            }
        }
    }
}
