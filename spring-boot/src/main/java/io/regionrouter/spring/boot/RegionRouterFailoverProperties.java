package io.regionrouter.spring.boot;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code region-router.failover.*} settings: for each region with a streaming standby, its two
 * servers' administrative endpoints, and how the fleet decides a promotion. Every instance follows
 * whatever primary the servers show (the default); automatic promotion needs either a ZooKeeper
 * ensemble ({@code zookeeper.connect-string}) or {@code single-instance=true}.
 */
@ConfigurationProperties("region-router.failover")
public class RegionRouterFailoverProperties {

    /** Each region's group: a primary and a streaming standby. */
    private Map<String, Group> groups = new LinkedHashMap<>();

    /** This application runs as exactly one instance, so it may promote on its own detection. Wrong for a fleet. */
    private boolean singleInstance;

    /** A name for this instance in the coordinator and in events; defaults to host and process. */
    private String instanceName;

    private final Zookeeper zookeeper = new Zookeeper();

    public Map<String, Group> getGroups() {
        return groups;
    }

    public void setGroups(Map<String, Group> groups) {
        this.groups = groups;
    }

    public boolean isSingleInstance() {
        return singleInstance;
    }

    public void setSingleInstance(boolean singleInstance) {
        this.singleInstance = singleInstance;
    }

    public String getInstanceName() {
        return instanceName;
    }

    public void setInstanceName(String instanceName) {
        this.instanceName = instanceName;
    }

    public Zookeeper getZookeeper() {
        return zookeeper;
    }

    /** One region's primary and standby. */
    public static class Group {

        private final Server primary = new Server();

        private final Server standby = new Server();

        /** ASYNCHRONOUS (PostgreSQL's default) or SYNCHRONOUS (no acknowledged write lost). */
        private String durability = "ASYNCHRONOUS";

        public Server getPrimary() {
            return primary;
        }

        public Server getStandby() {
            return standby;
        }

        public String getDurability() {
            return durability;
        }

        public void setDurability(String durability) {
            this.durability = durability;
        }
    }

    /**
     * One server: a name, its JDBC URL, and the administrative role that may promote and fence it.
     * The application's pool for it takes the region's {@code region-router.jdbc.regions.<id>.*}
     * settings with this URL.
     */
    public static class Server {

        /** A short name for events and logs, such as {@code us-standby-1}. */
        private String name;

        /** The server's JDBC URL. */
        private String url;

        /** The administrative role (usually a superuser). */
        private String username;

        /** Its password. */
        private String password;

        /** Whether administrative connections may run without verified TLS (local development). */
        private boolean allowPlaintext;

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

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

        public boolean isAllowPlaintext() {
            return allowPlaintext;
        }

        public void setAllowPlaintext(boolean allowPlaintext) {
            this.allowPlaintext = allowPlaintext;
        }

        @Override
        public String toString() {
            return "Server[" + name + ", " + url + ", username=" + username + ", password=****]";
        }
    }

    /** The ZooKeeper ensemble that decides promotions for the fleet. */
    public static class Zookeeper {

        /** The ensemble, such as {@code zk1:2181,zk2:2181,zk3:2181}; unset means no coordinator. */
        private String connectString;

        /** The base path of the leases and epochs. */
        private String basePath = "/region-router/failover";

        /** How long a lease holder may act without hearing from ZooKeeper. */
        private Duration leaseDuration;

        public String getConnectString() {
            return connectString;
        }

        public void setConnectString(String connectString) {
            this.connectString = connectString;
        }

        public String getBasePath() {
            return basePath;
        }

        public void setBasePath(String basePath) {
            this.basePath = basePath;
        }

        public Duration getLeaseDuration() {
            return leaseDuration;
        }

        public void setLeaseDuration(Duration leaseDuration) {
            this.leaseDuration = leaseDuration;
        }
    }
}
