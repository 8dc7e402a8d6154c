package io.regionrouter.spring.boot;

import io.regionrouter.jdbc.RegionalJdbcConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code region-router.jdbc.*} settings: one PostgreSQL database per region, and the schema
 * migrations that run in each. Unset pool values take the library's defaults
 * ({@code RegionPoolConfig}).
 */
@ConfigurationProperties("region-router.jdbc")
public class RegionRouterJdbcProperties {

    /** Whether the routing DataSource is configured when databases are given. */
    private boolean enabled = true;

    /** Each region's database, by region id. */
    private Map<String, Database> regions = new LinkedHashMap<>();

    /** The session setting each connection carries its region in ({@code RegionalJdbcConfig.sessionSetting}). */
    private String sessionSetting = RegionalJdbcConfig.DEFAULT_SESSION_SETTING;

    /**
     * The end-to-end budget of one getConnection(), directory lookup and fallback included
     * ({@code RegionalJdbcConfig.connectionBudget}); unset, the longest pool connection timeout.
     */
    private Duration connectionBudget;

    private final Migrations migrations = new Migrations();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Map<String, Database> getRegions() {
        return regions;
    }

    public void setRegions(Map<String, Database> regions) {
        this.regions = regions;
    }

    public String getSessionSetting() {
        return sessionSetting;
    }

    public void setSessionSetting(String sessionSetting) {
        this.sessionSetting = sessionSetting;
    }

    public Duration getConnectionBudget() {
        return connectionBudget;
    }

    public void setConnectionBudget(Duration connectionBudget) {
        this.connectionBudget = connectionBudget;
    }

    public Migrations getMigrations() {
        return migrations;
    }

    /** One region's database. */
    public static class Database {

        /** The JDBC URL, {@code jdbc:postgresql://...}, without credentials. */
        private String url;

        /** The application role; it must not own the tables. */
        private String username;

        /** The application role's password. */
        private String password;

        /** The largest number of connections. */
        private Integer maximumPoolSize;

        /** Idle connections kept; defaults to the maximum pool size. */
        private Integer minimumIdle;

        /** How long getConnection() waits for a connection of the pool. */
        private Duration connectionTimeout;

        /** How long one read from the server may block. */
        private Duration socketTimeout;

        /** Whether connections may run without TLS verified against the host name (local development). */
        private boolean allowPlaintext;

        /** Extra driver properties, such as {@code sslrootcert}. */
        private Map<String, String> properties = new LinkedHashMap<>();

        /** The role that owns the tables and runs migrations; defaults to the application role, which is refused by the residency DDL. */
        private String ownerUsername;

        /** The owner role's password. */
        private String ownerPassword;

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            this.url = url;
        }

        public String getUsername() {
            return username;
        }

        public void setUsername(String username) {
            this.username = username;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        public Integer getMaximumPoolSize() {
            return maximumPoolSize;
        }

        public void setMaximumPoolSize(Integer maximumPoolSize) {
            this.maximumPoolSize = maximumPoolSize;
        }

        public Integer getMinimumIdle() {
            return minimumIdle;
        }

        public void setMinimumIdle(Integer minimumIdle) {
            this.minimumIdle = minimumIdle;
        }

        public Duration getConnectionTimeout() {
            return connectionTimeout;
        }

        public void setConnectionTimeout(Duration connectionTimeout) {
            this.connectionTimeout = connectionTimeout;
        }

        public Duration getSocketTimeout() {
            return socketTimeout;
        }

        public void setSocketTimeout(Duration socketTimeout) {
            this.socketTimeout = socketTimeout;
        }

        public boolean isAllowPlaintext() {
            return allowPlaintext;
        }

        public void setAllowPlaintext(boolean allowPlaintext) {
            this.allowPlaintext = allowPlaintext;
        }

        public Map<String, String> getProperties() {
            return properties;
        }

        public void setProperties(Map<String, String> properties) {
            this.properties = properties;
        }

        public String getOwnerUsername() {
            return ownerUsername;
        }

        public void setOwnerUsername(String ownerUsername) {
            this.ownerUsername = ownerUsername;
        }

        public String getOwnerPassword() {
            return ownerPassword;
        }

        public void setOwnerPassword(String ownerPassword) {
            this.ownerPassword = ownerPassword;
        }

        @Override
        public String toString() {
            return "Database[url=" + url + ", username=" + username + ", password=****]";
        }
    }

    /** Flyway migrations run in every region's database as its owner role. */
    public static class Migrations {

        /** Whether migrations run at startup; with false they run only when {@code RegionMigrations.migrate()} is called. */
        private boolean enabled = true;

        /** Where the migrations are; {@code ${region}} in a migration is the database's region id. */
        private List<String> locations = new ArrayList<>(List.of("classpath:db/migration"));

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public List<String> getLocations() {
            return locations;
        }

        public void setLocations(List<String> locations) {
            this.locations = locations;
        }
    }
}
