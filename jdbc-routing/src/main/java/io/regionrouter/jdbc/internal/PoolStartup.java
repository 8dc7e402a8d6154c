package io.regionrouter.jdbc.internal;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionUnavailableException;
import io.regionrouter.core.Store;
import io.regionrouter.core.support.Secrets;
import io.regionrouter.jdbc.RegionPoolConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts the regions' pools and registers their health probes, and takes everything down again if a
 * later step fails, so a failed start leaves no pool open and no probe registered.
 *
 * @param pools each region's pool, in topology order
 * @param probes the probes registered with the health monitor; empty when probes are off
 */
public record PoolStartup(Map<Region, HikariDataSource> pools, List<JdbcHealthProbe> probes) {

    /**
     * Opens one pool per region; with {@code failFast}, each must reach its database at once.
     *
     * @param configs each region's settings, in topology order
     * @param sessionSetting the session setting the pools set
     * @param failFast whether an unreachable database fails the start
     * @param health the monitor to register probes with, or null for no probes
     * @param store the store the probes report for
     * @return the started pools and probes
     * @throws RegionUnavailableException if a database is unreachable and {@code failFast} is set
     */
    public static PoolStartup start(Map<Region, RegionPoolConfig> configs, String sessionSetting, boolean failFast,
            RegionHealth health, Store store) {
        Map<Region, HikariDataSource> pools = new LinkedHashMap<>();
        try {
            configs.forEach((region, config) -> pools.put(region, open(region, config, sessionSetting, failFast)));
        } catch (RuntimeException e) {
            pools.values().forEach(HikariDataSource::close);
            throw e;
        }
        List<JdbcHealthProbe> probes = new ArrayList<>();
        if (health != null) {
            configs.forEach((region, config) -> {
                JdbcHealthProbe probe = new JdbcHealthProbe(region, config.jdbcUrl(),
                        PoolFactory.driverProperties(region, config, "region-router-probe-" + region.id()));
                probes.add(probe);
                health.register(region, store, probe);
            });
        }
        return new PoolStartup(pools, List.copyOf(probes));
    }

    /**
     * Unregisters the probes and closes the pools, after a later step of the start failed.
     *
     * @param health the monitor the probes were registered with
     * @param store the store they report for
     */
    public void undo(RegionHealth health, Store store) {
        probes.forEach(probe -> {
            health.unregister(probe.region(), store, probe);
            probe.close();
        });
        pools.values().forEach(HikariDataSource::close);
    }

    private static HikariDataSource open(Region region, RegionPoolConfig config, String sessionSetting, boolean failFast) {
        try {
            return new HikariDataSource(PoolFactory.hikariConfig(region, config, sessionSetting, failFast));
        } catch (HikariPool.PoolInitializationException e) {
            throw new RegionUnavailableException("regions." + region + ".jdbcUrl: the database at "
                    + Secrets.maskUrl(config.jdbcUrl()) + " is unreachable at startup (startup=FAIL_FAST; use"
                    + " RegionalJdbcConfig.builder().startup(StartupMode.LAZY) to start without it): " + e.getMessage(),
                    List.of(region), e);
        }
    }
}
