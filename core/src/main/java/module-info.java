/**
 * region-router core: regions, topology, the router, the directory and its cache, health per store,
 * events and observations.
 *
 * <p>{@code io.regionrouter.core.support} holds helpers that region-router's own modules share; it is
 * exported to them alone, so an application cannot import it.
 */
module io.regionrouter.core {
    requires transitive micrometer.observation;
    requires transitive micrometer.commons;
    requires transitive com.github.benmanes.caffeine;
    requires org.slf4j;

    exports io.regionrouter.core;
    exports io.regionrouter.core.support to
            io.regionrouter.jdbc,
            io.regionrouter.jdbc.replication,
            io.regionrouter.jdbc.failover,
            io.regionrouter.mongo,
            io.regionrouter.redis,
            io.regionrouter.spring.boot,
            io.regionrouter.testkit;
}
