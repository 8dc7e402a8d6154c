package io.regionrouter.mongo;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations of {@link RegionalMongoClients}, in the router's
 * {@link io.regionrouter.core.RegionRouter#observationRegistry() registry}: one per call of a routed
 * database or collection that talks to the server, so a trace shows which region's cluster served it.
 */
public enum MongoObservation implements ObservationDocumentation {

    /**
     * One call of a routed {@code MongoDatabase} or {@code MongoCollection}, or of an iterable they
     * hand out, that talks to the server ({@code insertOne}, {@code countDocuments},
     * {@code iterator}, {@code first}, {@code runCommand}, ...); getters, {@code with...} copies and
     * the batches a cursor fetches later are not observed. Its scope is open during the call.
     */
    CALL {
        @Override
        public String getName() {
            return "region.router.mongo.call";
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return Keys.values();
        }
    };

    /** The keys, all low-cardinality: the operation is a driver method's name, a bounded set. */
    public enum Keys implements KeyName {
        /** {@code mongo}. */
        STORE {
            @Override
            public String asString() {
                return "region.router.store";
            }
        },
        /** The region whose cluster served the call. */
        REGION {
            @Override
            public String asString() {
                return "region.router.region";
            }
        },
        /** The driver method, such as {@code insertOne} or {@code iterator}. */
        OPERATION {
            @Override
            public String asString() {
                return "region.router.mongo.operation";
            }
        },
        /**
         * {@code ok}, {@code error}, or {@code outcome-unknown} for a write that may have been applied
         * (see {@link io.regionrouter.core.OutcomeUnknownException}).
         */
        OUTCOME {
            @Override
            public String asString() {
                return "region.router.outcome";
            }
        }
    }
}
