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
    },

    /**
     * One execution of a statement on a connection of the routing data source ({@code execute*}
     * of a statement, prepared or callable statement, batches included). Its parent is the
     * observation current on the thread when the statement runs, or, when there is none, the
     * checkout that gave the connection, so a call with no surrounding observation is still one
     * trace. Only the statement's kind (its first word) is recorded, never its text or values.
     */
    STATEMENT {
        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return StatementConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return StatementKeys.values();
        }

        @Override
        public KeyName[] getHighCardinalityKeyNames() {
            return StatementHighCardinalityKeys.values();
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

    /** Low-cardinality keys of {@link #STATEMENT}. */
    public enum StatementKeys implements KeyName {
        /** The store of the routing data source. */
        STORE {
            @Override
            public String asString() {
                return "region.router.store";
            }
        },
        /** The region whose database ran the statement. */
        REGION {
            @Override
            public String asString() {
                return "region.router.region";
            }
        },
        /**
         * {@code ok}, {@code error} (the database answered with an error, or the driver failed),
         * {@code unreachable} (the database could not be reached; the work was not applied) or
         * {@code outcome-unknown} (it may have been applied, see
         * {@link OutcomeUnknownSQLException}).
         */
        OUTCOME {
            @Override
            public String asString() {
                return "region.router.outcome";
            }
        }
    }

    /** High-cardinality keys of {@link #STATEMENT}: on traces only. */
    public enum StatementHighCardinalityKeys implements KeyName {
        /**
         * The statement's first word in upper case ({@code SELECT}, {@code INSERT}, {@code WITH},
         * ...), {@code BATCH} for a batch of plain statements, {@code unknown} when the text starts
         * with no word. Never the text itself, which may hold personal data.
         */
        SQL_KIND {
            @Override
            public String asString() {
                return "region.router.sql.kind";
            }
        }
    }

    /**
     * The default names of {@link #STATEMENT}: {@code region.router.jdbc.statement}, contextual
     * name {@code <kind> <store>} such as {@code SELECT postgres}.
     */
    public static class StatementConvention implements ObservationConvention<StatementObservationContext> {

        /** The shared instance. */
        public static final StatementConvention INSTANCE = new StatementConvention();

        @Override
        public boolean supportsContext(Observation.Context context) {
            return context instanceof StatementObservationContext;
        }

        @Override
        public String getName() {
            return "region.router.jdbc.statement";
        }

        @Override
        public String getContextualName(StatementObservationContext context) {
            return context.sqlKind() + " " + context.store().name();
        }

        @Override
        public KeyValues getLowCardinalityKeyValues(StatementObservationContext context) {
            return KeyValues.of(StatementKeys.STORE.withValue(context.store().name()),
                    StatementKeys.REGION.withValue(context.region().id()),
                    StatementKeys.OUTCOME.withValue(context.outcome()));
        }

        @Override
        public KeyValues getHighCardinalityKeyValues(StatementObservationContext context) {
            return KeyValues.of(StatementHighCardinalityKeys.SQL_KIND.withValue(context.sqlKind()));
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
