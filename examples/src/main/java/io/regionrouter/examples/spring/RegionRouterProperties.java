package io.regionrouter.examples.spring;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code region-router.*} settings of the example: the local and primary regions and one
 * PostgreSQL database per region, declared in proximity order (nearest first).
 *
 * @param local the region this instance runs in
 * @param primary the region that takes writes of GLOBAL data and holds the region directory
 * @param databases each region's database
 */
@ConfigurationProperties("region-router")
public record RegionRouterProperties(String local, String primary, Map<String, Database> databases) {

    /** Checks that the required settings are there. */
    public RegionRouterProperties {
        require("region-router.local", local);
        require("region-router.primary", primary);
        if (databases == null || databases.isEmpty()) {
            throw new IllegalArgumentException("region-router.databases must configure at least one region, but was empty");
        }
        databases = Collections.unmodifiableMap(new LinkedHashMap<>(databases));
    }

    private static void require(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must be set, but was " + (value == null ? "null" : "blank"));
        }
    }

    /**
     * One region's database; connect as the application role, which neither owns the tables nor is
     * a superuser, so that PostgreSQL's row-level security applies to it.
     *
     * @param jdbcUrl the JDBC URL
     * @param username the application role
     * @param password its password; never printed
     * @param maximumPoolSize the pool size, or null for the library's default
     */
    public record Database(String jdbcUrl, String username, String password, Integer maximumPoolSize) {

        /** Checks the URL is there. */
        public Database {
            Objects.requireNonNull(jdbcUrl, "region-router.databases.<region>.jdbc-url must be set");
        }

        @Override
        public String toString() {
            return "Database[jdbcUrl=" + jdbcUrl.replaceAll("password=[^&]*", "password=****") + ", username="
                    + username + ", password=****, maximumPoolSize=" + maximumPoolSize + "]";
        }
    }
}
