package io.regionrouter.jdbc.failover;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionEvent;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.StaticRegionDirectory;
import io.regionrouter.core.Topology;
import io.regionrouter.jdbc.RegionPoolConfig;
import io.regionrouter.jdbc.RegionalDataSources;
import io.regionrouter.testkit.PostgresServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

/**
 * One application instance of a fleet test: its own router, health, pools, failover manager and,
 * when coordinated, its own ZooKeeper session. The primary may be reached through a URL of the
 * instance's own (a private link), so that a partition can cut this instance alone.
 */
final class FleetInstance implements AutoCloseable {

    static final Region US = FailoverFixture.US;
    static final Duration SESSION = Duration.ofSeconds(4);

    final String name;
    final RegionHealth health;
    final RegionalDataSources pg;
    final FailoverManager manager;
    final CuratorFramework zk;
    final CuratorCoordinator coordinator;
    /** What the manager sees of the coordinator, counted; null without a coordinator. */
    final CountingCoordinator counted;
    final List<RegionEvent> events;

    private FleetInstance(String name, RegionHealth health, RegionalDataSources pg, FailoverManager manager, CuratorFramework zk,
            List<RegionEvent> events, CuratorCoordinator coordinator, CountingCoordinator counted) {
        this.events = events;
        this.coordinator = coordinator;
        this.counted = counted;
        this.name = name;
        this.health = health;
        this.pg = pg;
        this.manager = manager;
        this.zk = zk;
    }

    /**
     * Starts an instance.
     *
     * @param name the instance's name
     * @param primaryUrl the URL through which this instance reaches the primary
     * @param primary the primary (credentials)
     * @param standby the standby
     * @param zkConnect the ZooKeeper connect string, or null without a coordinator
     */
    static FleetInstance start(String name, String primaryUrl, PostgresServer primary, PostgresServer standby, String zkConnect) {
        return start(name, new Server("us-primary", primaryUrl, primary.superUser(), primary.superPassword(), primary.appUser(),
                primary.appPassword()), new Server("us-standby", standby.jdbcUrl(), standby.superUser(), standby.superPassword(),
                standby.appUser(), standby.appPassword()), zkConnect);
    }

    /** A server of the group: its name, URL, administrative and application credentials. */
    record Server(String name, String url, String superUser, String superPassword, String appUser, String appPassword) {
        PgEndpoint endpoint() {
            return new PgEndpoint(name, US, url, superUser, superPassword).allowingPlaintext();
        }

        RegionPoolConfig pool() {
            return RegionPoolConfig.builder().allowPlaintext(true).jdbcUrl(url).username(appUser).password(appPassword)
                    .maximumPoolSize(4).minimumIdle(1).connectionTimeout(Duration.ofMillis(500))
                    .validationTimeout(Duration.ofMillis(250)).build();
        }
    }

    /** Starts an instance on a group of any two servers. */
    static FleetInstance start(String name, Server primary, Server standby, String zkConnect) {
        Topology topology = Topology.builder().regions("us").local("us").primary("us").build();
        RegionHealth health = RegionHealth.builder().build();
        RegionRouter router = RegionRouter.builder(topology).directory(StaticRegionDirectory.builder().user("bob", US).build())
                .health(health).build();
        RegionalDataSources pg = null;
        CuratorFramework zk = null;
        CuratorCoordinator coordinator = null;
        CountingCoordinator counted = null;
        try {
            pg = RegionalDataSources.builder(router).region(US, primary.pool()).build();
            FailoverGroup group = FailoverGroup.builder(US).primary(primary.endpoint()).standby(standby.endpoint())
                    .standbyPool(standby.pool()).build();
            List<RegionEvent> events = new CopyOnWriteArrayList<>();
            FailoverManager.Builder b = FailoverManager.builder(pg).group(group).instanceName(name).listener(events::add);
            if (zkConnect != null) {
                zk = CuratorFrameworkFactory.builder().connectString(zkConnect).sessionTimeoutMs((int) SESSION.toMillis())
                        .connectionTimeoutMs(2000).retryPolicy(new ExponentialBackoffRetry(100, 3)).build();
                zk.start();
                if (!zk.blockUntilConnected(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    throw new IllegalStateException(name + " could not connect to ZooKeeper");
                }
                coordinator = CuratorCoordinator.builder(zk).basePath("/fleet-test").instanceName(name).leaseDuration(SESSION).build();
                counted = new CountingCoordinator(coordinator);
                b.coordinator(counted);
            }
            FailoverManager manager = b.build();
            return new FleetInstance(name, health, pg, manager, zk, events, coordinator, counted);
        } catch (RuntimeException | InterruptedException e) {
            if (pg != null) {
                pg.close();
            }
            if (zk != null) {
                zk.close();
            }
            health.close();
            throw new IllegalStateException("instance " + name + " did not start", e);
        }
    }

    /** Inserts one row through the router, as bob's data in us. */
    void write(long id) throws SQLException {
        try (Connection c = pg.forUser("bob").getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO writes (id, note) VALUES (?, ?)")) {
            ps.setLong(1, id);
            ps.setString(2, name);
            ps.executeUpdate();
        }
    }

    /** Inserts one row through the router and returns the port of the server that acknowledged it. */
    int writeReturningPort(long id) throws SQLException {
        try (Connection c = pg.forUser("bob").getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO writes (id, note) VALUES (?, ?) RETURNING inet_server_port()")) {
            ps.setLong(1, id);
            ps.setString(2, name);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Retries a write until it is acknowledged; returns how long it took, in nanoseconds. */
    long writeUntilAccepted(long id, Duration max) throws InterruptedException {
        long start = System.nanoTime();
        while (true) {
            try {
                write(id);
                return System.nanoTime() - start;
            } catch (SQLException | RuntimeException e) {
                if (System.nanoTime() - start > max.toNanos()) {
                    throw new AssertionError(name + ": no write accepted within " + max, e);
                }
                Thread.sleep(10);
            }
        }
    }

    <T extends RegionEvent> List<T> eventsOf(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Override
    public void close() {
        manager.close();
        pg.close();
        health.close();
        if (zk != null) {
            zk.close();
        }
    }
}
