package io.regionrouter.jdbc.failover.internal;

import io.regionrouter.core.HealthConfig;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionState;
import io.regionrouter.core.RegionStateChangedEvent;
import io.regionrouter.core.Store;
import io.regionrouter.jdbc.failover.PgEndpoint;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Watches primaries with a {@link RegionHealth} of its own (strict settings, separate from the
 * router's), where each primary is the {@link Store#POSTGRES} store of its region, and reports
 * each UP-to-DOWN change. Thread-safe.
 */
public final class Detector implements AutoCloseable {

    private final RegionHealth health;
    private final LongSupplier ticker;
    private final Map<Region, WatchedProbe> probes = new ConcurrentHashMap<>();
    private final Map<Region, PrimaryProbe> connections = new ConcurrentHashMap<>();

    /**
     * Creates the detector.
     *
     * @param config the health settings
     * @param ticker nano time
     * @param onDown called with the region (on a probe thread; must be quick) when its primary goes DOWN
     * @param onChange called with every state change of a primary (on a probe thread; must be quick)
     */
    public Detector(HealthConfig config, LongSupplier ticker, Consumer<Region> onDown, Consumer<RegionStateChangedEvent> onChange) {
        this.ticker = ticker;
        this.health = RegionHealth.builder().config(config).ticker(ticker::getAsLong).listener(event -> {
            if (event instanceof RegionStateChangedEvent change) {
                onChange.accept(change);
                if (change.to() == RegionState.DOWN) {
                    onDown.accept(change.region());
                }
            }
        }).build();
    }

    /**
     * Starts watching a region's primary.
     *
     * @param region the region
     * @param primary the primary
     * @param admin opens the probe's administrative connection
     */
    public void watch(Region region, PgEndpoint primary, PgAdmin admin) {
        PrimaryProbe connection = new PrimaryProbe(admin, primary);
        WatchedProbe probe = new WatchedProbe(primary.name(), connection, ticker);
        connections.put(region, connection);
        probes.put(region, probe);
        health.register(region, Store.POSTGRES, probe);
    }

    /** Stops watching a region, for example once it has no standby left. */
    public void stop(Region region) {
        WatchedProbe probe = probes.get(region);
        if (probe != null) {
            health.unregister(region, Store.POSTGRES, probe);
        }
        PrimaryProbe connection = connections.remove(region);
        if (connection != null) {
            connection.close();
        }
    }

    /** The watched probe of a region, or null. */
    public WatchedProbe probe(Region region) {
        return probes.get(region);
    }

    /** The state of a region's primary as the detector sees it. */
    public RegionState state(Region region) {
        return health.state(region, Store.POSTGRES);
    }

    @Override
    public void close() {
        health.close();
        connections.values().forEach(PrimaryProbe::close);
    }
}
