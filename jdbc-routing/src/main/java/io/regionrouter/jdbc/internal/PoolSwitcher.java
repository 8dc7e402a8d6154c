package io.regionrouter.jdbc.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.regionrouter.core.Region;
import io.regionrouter.core.support.Secrets;
import io.regionrouter.jdbc.RegionPoolConfig;
import io.regionrouter.jdbc.support.PoolControl;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repoints a region's pool and probe under a higher epoch, refuses its connections, or holds one of its
 * replicas: what a failover does to the routing module's pools (see {@link PoolControl}).
 */
public final class PoolSwitcher implements PoolControl {

    private static final Logger LOG = LoggerFactory.getLogger(PoolSwitcher.class);

    private final RoutingConnector connector;
    private final List<JdbcHealthProbe> probes;
    private final String sessionSetting;
    private final Supplier<ReplicaGroup> replicas;

    /**
     * Creates the switcher.
     *
     * @param connector the connector whose region pools it switches
     * @param probes the regions' health probes, retargeted with their pools
     * @param sessionSetting the session setting new pools set
     * @param replicas the replica group, or a supplier of null without replicas
     */
    public PoolSwitcher(RoutingConnector connector, List<JdbcHealthProbe> probes, String sessionSetting,
            Supplier<ReplicaGroup> replicas) {
        this.connector = connector;
        this.probes = List.copyOf(probes);
        this.sessionSetting = sessionSetting;
        this.replicas = replicas;
    }

    @Override
    public DataSource switchRegion(Region region, RegionPoolConfig config, long epoch) {
        Objects.requireNonNull(config, "config must not be null");
        HikariConfig hikari = PoolFactory.hikariConfig(region, config, sessionSetting, true);
        hikari.setPoolName(PoolFactory.POOL_NAME_PREFIX + region.id() + "-epoch-" + epoch);
        HikariDataSource pool = new HikariDataSource(hikari);
        DataSource previous;
        try {
            previous = connector.pool(region).switchTo(pool, epoch);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        Properties probe = PoolFactory.driverProperties(region, config, "region-router-probe-" + region.id());
        probes.stream().filter(p -> p.region().equals(region)).forEach(p -> p.retarget(config.jdbcUrl(), probe));
        softEvict(previous);
        LOG.warn("region {}: connections now go to {} (epoch {})", region, Secrets.maskUrl(config.jdbcUrl()), epoch);
        return previous;
    }

    @Override
    public DataSource suspendRegion(Region region, long epoch, String reason) {
        Objects.requireNonNull(reason, "reason must not be null");
        DataSource previous = connector.pool(region).switchTo(new RefusingDataSource(region, reason), epoch);
        softEvict(previous);
        LOG.warn("region {}: connections refused (epoch {}): {}", region, epoch, reason);
        return previous;
    }

    @Override
    public void holdReplica(Region region, String name, String reason) {
        ReplicaGroup group = replicas.get();
        if (group == null) {
            throw new IllegalArgumentException("region " + region + " has no replica named " + name + "; no replicas are configured");
        }
        var probe = group.reads().replica(region, name).probe();
        if (reason == null) {
            probe.release();
        } else {
            probe.hold(reason);
        }
    }

    private static void softEvict(DataSource ds) {
        if (ds instanceof HikariDataSource h && h.getHikariPoolMXBean() != null) {
            h.getHikariPoolMXBean().softEvictConnections();
        }
    }
}
