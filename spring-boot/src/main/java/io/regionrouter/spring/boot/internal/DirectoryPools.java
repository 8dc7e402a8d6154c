package io.regionrouter.spring.boot.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Region;
import io.regionrouter.core.Topology;
import io.regionrouter.spring.boot.RegionRouterJdbcProperties;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The directory's own small pools, one per region (two connections, none kept idle), so that lookups
 * never wait behind the application's queries. TLS as the region's pool: verified unless plaintext is
 * allowed for that region.
 */
public final class DirectoryPools implements AutoCloseable {

    private final Map<Region, HikariDataSource> pools;
    private final Topology topology;
    private final DataSource listener;

    private DirectoryPools(Topology topology, Map<Region, HikariDataSource> pools, DataSource listener) {
        this.topology = topology;
        this.pools = pools;
        this.listener = listener;
    }

    /**
     * Opens the pools lazily: no connection is made before the first lookup.
     *
     * @param topology the topology
     * @param databases the regions' databases
     * @param sslModes each region's {@code sslmode} as its application pool uses it, or null for the driver's default
     * @return the pools
     */
    public static DirectoryPools open(Topology topology, Map<String, RegionRouterJdbcProperties.Database> databases,
            Function<String, String> sslModes) {
        Map<Region, HikariDataSource> pools = new LinkedHashMap<>();
        databases.forEach((id, db) -> {
            HikariConfig config = new HikariConfig();
            config.setPoolName("region-directory-" + id);
            config.setJdbcUrl(db.getUrl());
            config.setUsername(db.getUsername());
            config.setPassword(db.getPassword());
            config.setMaximumPoolSize(2);
            config.setMinimumIdle(0);
            config.setConnectionTimeout(2000);
            config.setInitializationFailTimeout(-1);
            db.getProperties().forEach(config::addDataSourceProperty);
            String sslMode = sslModes.apply(id);
            if (sslMode != null) {
                config.addDataSourceProperty("sslmode", sslMode);
            }
            pools.put(topology.region(id), new HikariDataSource(config));
        });
        if (!pools.containsKey(topology.primary())) {
            pools.values().forEach(HikariDataSource::close);
            throw new InvalidConfigurationException("region-router.jdbc.regions", databases.keySet(), "region-router.jdbc.regions"
                    + " must include the primary region " + topology.primary() + ", which holds the directory, but names only "
                    + databases.keySet());
        }
        return new DirectoryPools(topology, pools, listener(topology, databases, sslModes));
    }

    /** Unpooled connections to the local region's database (or, without one, the primary's), for the notification listener. */
    private static DataSource listener(Topology topology, Map<String, RegionRouterJdbcProperties.Database> databases,
            Function<String, String> sslModes) {
        String region = databases.containsKey(topology.local().id()) ? topology.local().id() : topology.primary().id();
        RegionRouterJdbcProperties.Database db = databases.get(region);
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(db.getUrl());
        ds.setUser(db.getUsername());
        ds.setPassword(db.getPassword());
        ds.setApplicationName("region-router-directory-" + region);
        db.getProperties().forEach((name, value) -> {
            try {
                ds.setProperty(name, value);
            } catch (java.sql.SQLException e) {
                throw new InvalidConfigurationException("region-router.jdbc.regions." + region + ".properties." + name, name,
                        "region-router.jdbc.regions." + region + ".properties." + name + " is not a PostgreSQL driver property");
            }
        });
        String sslMode = sslModes.apply(region);
        if (sslMode != null && !db.getUrl().contains("sslmode=")) {
            ds.setSslMode(sslMode);
        }
        return ds;
    }

    /** Where the directory's notification listener connects: the local region's copy. */
    public DataSource listenerDataSource() {
        return listener;
    }

    /** The pools, the local region's first, then the others by proximity. */
    public List<DataSource> nearestFirst() {
        List<DataSource> out = new ArrayList<>();
        List<Region> order = new ArrayList<>();
        order.add(topology.local());
        order.addAll(topology.proximity(topology.local()));
        for (Region r : order) {
            if (pools.containsKey(r)) {
                out.add(pools.get(r));
            }
        }
        return out;
    }

    /** The primary region's pool, where assignments are written. */
    public DataSource primary() {
        return pools.get(topology.primary());
    }

    @Override
    public void close() {
        pools.values().forEach(HikariDataSource::close);
    }

    @Override
    public String toString() {
        return "DirectoryPools" + pools.keySet();
    }
}
