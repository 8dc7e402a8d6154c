package io.regionrouter.spring.boot;

import io.regionrouter.core.CachingRegionDirectory;
import io.regionrouter.core.HealthConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code region-router.*} settings of the router itself: the topology, health and the directory
 * of home regions. Each store has its own prefix ({@code region-router.jdbc.*}, ...). Every value is
 * checked by the library's builders when the context starts, so a mistake fails the startup with a
 * message that names the setting.
 */
@ConfigurationProperties("region-router")
public class RegionRouterProperties {

    /** The regions, such as {@code us, eu, ap}. Required. */
    private List<String> regions = new ArrayList<>();

    /** The region this instance runs in. Required. */
    private String local;

    /** The region that holds the primary copy of GLOBAL data and the directory. Defaults to the local region. */
    private String primary;

    /** For each region, the other regions nearest first, such as {@code proximity.us=eu,ap}. Defaults to declaration order. */
    private Map<String, List<String>> proximity = new LinkedHashMap<>();

    /**
     * For each home region, the regions that may hold its REGULATED data, such as
     * {@code residency.eu=eu}. A home region not listed may use every region.
     */
    private Map<String, List<String>> residency = new LinkedHashMap<>();

    /** For each home region, other regions that may take its REGULATED writes, such as {@code multi-writer.us=ca}. */
    private Map<String, List<String>> multiWriter = new LinkedHashMap<>();

    private final Health health = new Health();

    private final Directory directory = new Directory();

    private final Web web = new Web();

    public List<String> getRegions() {
        return regions;
    }

    public void setRegions(List<String> regions) {
        this.regions = regions;
    }

    public String getLocal() {
        return local;
    }

    public void setLocal(String local) {
        this.local = local;
    }

    public String getPrimary() {
        return primary;
    }

    public void setPrimary(String primary) {
        this.primary = primary;
    }

    public Map<String, List<String>> getProximity() {
        return proximity;
    }

    public void setProximity(Map<String, List<String>> proximity) {
        this.proximity = proximity;
    }

    public Map<String, List<String>> getResidency() {
        return residency;
    }

    public void setResidency(Map<String, List<String>> residency) {
        this.residency = residency;
    }

    public Map<String, List<String>> getMultiWriter() {
        return multiWriter;
    }

    public void setMultiWriter(Map<String, List<String>> multiWriter) {
        this.multiWriter = multiWriter;
    }

    public Health getHealth() {
        return health;
    }

    public Directory getDirectory() {
        return directory;
    }

    public Web getWeb() {
        return web;
    }

    /** Health monitoring per region and store. */
    public static class Health {

        /** How often each store of each region is probed. */
        private Duration interval = HealthConfig.DEFAULT_INTERVAL;

        /** How long a probe may take before it counts as failed. */
        private Duration timeout = HealthConfig.DEFAULT_TIMEOUT;

        /** Consecutive probe failures that mark a store DOWN. */
        private int failureThreshold = HealthConfig.DEFAULT_FAILURE_THRESHOLD;

        /** Consecutive probe successes that mark a store UP again. */
        private int successThreshold = HealthConfig.DEFAULT_SUCCESS_THRESHOLD;

        /** The window over which real calls' failure rate is judged. */
        private Duration callWindow = HealthConfig.DEFAULT_CALL_WINDOW;

        /** Calls a window needs before its failure rate counts. */
        private int minimumCalls = HealthConfig.DEFAULT_MINIMUM_CALLS;

        /** Failure rate, in percent, at which real calls mark a store DOWN. */
        private int failureRateThreshold = HealthConfig.DEFAULT_FAILURE_RATE_THRESHOLD;

        public Duration getInterval() {
            return interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        public int getFailureThreshold() {
            return failureThreshold;
        }

        public void setFailureThreshold(int failureThreshold) {
            this.failureThreshold = failureThreshold;
        }

        public int getSuccessThreshold() {
            return successThreshold;
        }

        public void setSuccessThreshold(int successThreshold) {
            this.successThreshold = successThreshold;
        }

        public Duration getCallWindow() {
            return callWindow;
        }

        public void setCallWindow(Duration callWindow) {
            this.callWindow = callWindow;
        }

        public int getMinimumCalls() {
            return minimumCalls;
        }

        public void setMinimumCalls(int minimumCalls) {
            this.minimumCalls = minimumCalls;
        }

        public int getFailureRateThreshold() {
            return failureRateThreshold;
        }

        public void setFailureRateThreshold(int failureRateThreshold) {
            this.failureRateThreshold = failureRateThreshold;
        }
    }

    /** Where home regions come from, and how they are cached. */
    public static class Directory {

        /**
         * The directory: {@code jdbc} (a table in the primary region's database, the default when
         * region-router-jdbc is present), {@code static} (the {@code users} map, for tests and demos),
         * or {@code custom} (a {@code RegionDirectory} bean of the application's).
         */
        private DirectoryType type;

        /** For the static directory: user id to home region. */
        private Map<String, String> users = new LinkedHashMap<>();

        /** The directory table, for the jdbc directory. */
        private String table = "region_directory";

        /** The timeout of each directory query, for the jdbc directory. */
        private Duration queryTimeout = Duration.ofSeconds(2);

        /** The most home regions kept in the cache. */
        private long cacheMaximumSize = CachingRegionDirectory.DEFAULT_MAXIMUM_SIZE;

        /** How long a cached home region is kept without a refresh succeeding. */
        private Duration cacheExpireAfterWrite = CachingRegionDirectory.DEFAULT_EXPIRE_AFTER_WRITE;

        /** How old a cached home region may get before it is refreshed in the background. */
        private Duration cacheRefreshAfterWrite = CachingRegionDirectory.DEFAULT_REFRESH_AFTER_WRITE;

        /** How long "unknown user" is cached. */
        private Duration cacheNegativeTtl = CachingRegionDirectory.DEFAULT_NEGATIVE_TTL;

        public DirectoryType getType() {
            return type;
        }

        public void setType(DirectoryType type) {
            this.type = type;
        }

        public Map<String, String> getUsers() {
            return users;
        }

        public void setUsers(Map<String, String> users) {
            this.users = users;
        }

        public String getTable() {
            return table;
        }

        public void setTable(String table) {
            this.table = table;
        }

        public Duration getQueryTimeout() {
            return queryTimeout;
        }

        public void setQueryTimeout(Duration queryTimeout) {
            this.queryTimeout = queryTimeout;
        }

        public long getCacheMaximumSize() {
            return cacheMaximumSize;
        }

        public void setCacheMaximumSize(long cacheMaximumSize) {
            this.cacheMaximumSize = cacheMaximumSize;
        }

        public Duration getCacheExpireAfterWrite() {
            return cacheExpireAfterWrite;
        }

        public void setCacheExpireAfterWrite(Duration cacheExpireAfterWrite) {
            this.cacheExpireAfterWrite = cacheExpireAfterWrite;
        }

        public Duration getCacheRefreshAfterWrite() {
            return cacheRefreshAfterWrite;
        }

        public void setCacheRefreshAfterWrite(Duration cacheRefreshAfterWrite) {
            this.cacheRefreshAfterWrite = cacheRefreshAfterWrite;
        }

        public Duration getCacheNegativeTtl() {
            return cacheNegativeTtl;
        }

        public void setCacheNegativeTtl(Duration cacheNegativeTtl) {
            this.cacheNegativeTtl = cacheNegativeTtl;
        }
    }

    /** Kinds of directory. */
    public enum DirectoryType {
        /** A table in the primary region's database. */
        JDBC,
        /** The {@code region-router.directory.users} map. */
        STATIC,
        /** A {@code RegionDirectory} bean the application declares. */
        CUSTOM
    }

    /** How web requests get their region context. */
    public static class Web {

        /** Whether a filter binds each request to the authenticated user's context. */
        private boolean contextFilter = true;

        /**
         * A request header that names the user, honoured only while the {@code demo} profile is
         * active; it lets anyone act as anyone, so it must never be used where real data lives.
         */
        private String demoUserHeader;

        public boolean isContextFilter() {
            return contextFilter;
        }

        public void setContextFilter(boolean contextFilter) {
            this.contextFilter = contextFilter;
        }

        public String getDemoUserHeader() {
            return demoUserHeader;
        }

        public void setDemoUserHeader(String demoUserHeader) {
            this.demoUserHeader = demoUserHeader;
        }
    }
}
