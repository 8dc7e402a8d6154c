/**
 * region-router's Spring Boot auto-configuration: the router, the routing {@code DataSource},
 * context propagation, health, meters and migrations per region, bound to {@code region-router.*}
 * properties.
 *
 * <p>Open, because Spring reads and proxies the configuration classes reflectively. Every store
 * module, and every Spring Boot module beyond the core three, is optional: a configuration applies
 * only when its classes are present.
 */
open module io.regionrouter.spring.boot {
    requires transitive io.regionrouter.core;
    requires transitive spring.boot;
    requires transitive spring.boot.autoconfigure;
    requires transitive spring.context;
    requires spring.beans;
    requires spring.core;
    requires org.slf4j;
    requires java.management;

    requires static io.regionrouter.jdbc;
    requires static io.regionrouter.jdbc.failover;
    requires static io.regionrouter.redis;
    requires static io.regionrouter.mongo;
    requires static curator.framework;
    requires static curator.client;
    requires static spring.boot.jdbc;
    requires static spring.boot.health;
    requires static spring.boot.actuator;
    requires static spring.boot.hibernate;
    requires static spring.web;
    requires static spring.security.core;
    requires static jakarta.servlet;
    requires static micrometer.core;
    requires static context.propagation;
    requires static flyway.core;
    requires static org.hibernate.orm.core;
    requires static com.zaxxer.hikari;
    requires static org.postgresql.jdbc;

    exports io.regionrouter.spring.boot;

    provides io.micrometer.context.ThreadLocalAccessor with io.regionrouter.spring.boot.RegionContextAccessor;
}
