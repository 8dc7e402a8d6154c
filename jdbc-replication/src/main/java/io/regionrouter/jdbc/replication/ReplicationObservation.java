package io.regionrouter.jdbc.replication;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations of {@link ReplicationMonitor}, in the registry given to
 * {@link ReplicationMonitor.Builder#observationRegistry}: one per poll, with one child per
 * replication path it judged, so the lag of each path at each poll is on the trace; and of replica
 * reads ({@link #REPLICA_READ}), in the router's registry.
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
    },

    /**
     * One read of a {@code RegionRoutingDataSource} with replica reads that had replicas to choose
     * from, in the region the router chose for the read: outcome {@code replica} when a replica
     * served it (its name and lag on the trace), {@code primary} when none was usable or caught up
     * with the user's writes, so the read went to the primary (whose checkout is observed as usual).
     */
    REPLICA_READ {
        @Override
        public String getName() {
            return "region.router.jdbc.replica.read";
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return new KeyName[] {Keys.STORE, Keys.REGION, Keys.OUTCOME};
        }

        @Override
        public KeyName[] getHighCardinalityKeyNames() {
            return new KeyName[] {Keys.REPLICA, Keys.LAG};
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
        /** The replica that served a read, or {@code none}; traces only. */
        REPLICA {
            @Override
            public String asString() {
                return "region.router.replica";
            }
        },
        /** The path's (or the replica's) replay lag in milliseconds, or {@code unknown}; high cardinality, traces only. */
        LAG {
            @Override
            public String asString() {
                return "region.router.replication.lag.ms";
            }
        }
    }
}
