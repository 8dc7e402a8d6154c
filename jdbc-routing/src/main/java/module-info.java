/**
 * region-router JDBC routing: region-bound HikariCP pools, the routing {@code DataSource}, residency
 * DDL and audit, the JDBC directory and its notifications, moving a user between regions, and
 * lag-aware replica reads.
 */
module io.regionrouter.jdbc {
    requires transitive io.regionrouter.core;
    requires transitive io.regionrouter.jdbc.replication;
    requires transitive java.sql;
    requires transitive com.zaxxer.hikari;
    requires org.postgresql.jdbc;
    requires org.slf4j;

    exports io.regionrouter.jdbc;
    exports io.regionrouter.jdbc.support to io.regionrouter.jdbc.failover;
}
