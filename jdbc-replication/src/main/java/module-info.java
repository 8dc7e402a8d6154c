/**
 * region-router PostgreSQL logical replication: publications and subscriptions from a
 * residency-checked plan, and a monitor of lag, slots and subscriptions. Micrometer is optional.
 */
module io.regionrouter.jdbc.replication {
    requires transitive io.regionrouter.core;
    requires transitive java.sql;
    requires org.slf4j;
    requires static micrometer.core;

    exports io.regionrouter.jdbc.replication;
}
