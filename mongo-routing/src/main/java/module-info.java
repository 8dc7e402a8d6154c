/**
 * region-router MongoDB routing: per-region clients, a region-aware server selector, the document
 * guard, zone sharding and replica-set plans.
 */
module io.regionrouter.mongo {
    requires transitive io.regionrouter.core;
    requires transitive org.mongodb.driver.sync.client;
    requires transitive org.mongodb.driver.core;
    requires transitive org.mongodb.bson;
    requires org.slf4j;

    exports io.regionrouter.mongo;
}
