/**
 * region-router PostgreSQL failover: follows each region's current primary and promotes once per
 * fleet under a coordinator. Apache Curator is optional ({@code CuratorCoordinator}).
 */
module io.regionrouter.jdbc.failover {
    requires transitive io.regionrouter.jdbc;
    requires org.postgresql.jdbc;
    requires org.slf4j;
    requires static curator.framework;
    requires static curator.recipes;
    requires static curator.client;
    requires static zookeeper;

    exports io.regionrouter.jdbc.failover;
}
