package io.regionrouter.redis;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations of {@link RegionalRedis}, in the router's
 * {@link io.regionrouter.core.RegionRouter#observationRegistry() registry}: one per fan-out write,
 * with one child per target region, so a trace shows each region's acknowledgement, failure or hint.
 */
public enum RedisObservation implements ObservationDocumentation {

    /** One fan-out write ({@code set}, {@code write}, {@code delete}), from the call until its ack policy is met or it fails. */
    WRITE {
        @Override
        public String getName() {
            return "region.router.redis.write";
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return new KeyName[] {Keys.STORE, Keys.ACK, Keys.OUTCOME};
        }

        @Override
        public KeyName[] getHighCardinalityKeyNames() {
            return new KeyName[] {Keys.KEY};
        }
    },

    /** The write to one target region, a child of {@link #WRITE}. */
    WRITE_REGION {
        @Override
        public String getName() {
            return "region.router.redis.write.region";
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return new KeyName[] {Keys.STORE, Keys.REGION, Keys.OUTCOME};
        }
    },

    /**
     * The replay of a hint to its region, a child of the {@link #WRITE_REGION} part that queued it
     * (outcome {@code hinted}), so it shows in the write's trace; outcome {@code replayed}, or
     * {@code rejected} when the region refused it. Observed only when this instance queued the hint
     * and still remembers it (in memory, the 10,000 newest hints).
     */
    HINT_REPLAY {
        @Override
        public String getName() {
            return "region.router.redis.hint.replay";
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return new KeyName[] {Keys.STORE, Keys.REGION, Keys.OUTCOME};
        }
    };

    /** The keys. */
    public enum Keys implements KeyName {
        /** {@code redis}. */
        STORE {
            @Override
            public String asString() {
                return "region.router.store";
            }
        },
        /** The ack policy: local, quorum, all. */
        ACK {
            @Override
            public String asString() {
                return "region.router.redis.ack";
            }
        },
        /**
         * For a write: ok or error. For a region: acked, failed (refused by the region, not hinted),
         * hinted (missed, kept in the hint log), not-hinted (missed, and could not or may not be kept).
         */
        OUTCOME {
            @Override
            public String asString() {
                return "region.router.outcome";
            }
        },
        /** The target region. */
        REGION {
            @Override
            public String asString() {
                return "region.router.region";
            }
        },
        /** The key written; high cardinality, traces only. */
        KEY {
            @Override
            public String asString() {
                return "region.router.redis.key";
            }
        }
    }
}
