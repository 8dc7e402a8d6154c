package io.regionrouter.jdbc.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionEvent;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.Topology;
import io.regionrouter.jdbc.RegionPoolConfig;
import io.regionrouter.jdbc.ReplicaReadConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The read replicas of a {@code RegionalDataSources}: one small HikariCP pool per replica (named
 * {@code region-router-<region>-replica-<name>}, with the same region-binding init SQL as the
 * primary's pool), one lag probe per replica on its own connection, the scheduler that runs the
 * probes and the {@link ReplicaReads} that routes read-only connections. Replica pools start
 * lazily, so an unreachable replica never stops the application from starting. Thread-safe.
 */
public final class ReplicaGroup implements AutoCloseable {

    /** One configured replica. */
    public record Spec(Region region, String name, RegionPoolConfig config) {
    }

    /**
     * Checks a replica about to be added.
     *
     * @param topology the topology
     * @param existing the replicas added so far
     * @param region the replica's region
     * @param name its name
     * @param config its pool settings
     * @throws InvalidConfigurationException if the region is unknown or the name is invalid or taken
     */
    public static void checkNew(Topology topology, List<Spec> existing, Region region, String name, RegionPoolConfig config) {
        Objects.requireNonNull(region, "replicas: region must not be null");
        if (!topology.contains(region)) {
            throw new InvalidConfigurationException("replicas." + region, region, "replicas." + region
                    + ": region must be one of the topology's regions " + topology.regions() + ", but was " + region);
        }
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidConfigurationException("replicas." + region + ".name", name, "replicas." + region
                    + ".name must match [a-z0-9-]{1,32}, but was " + (name == null ? "null" : "\"" + name + "\""));
        }
        if (existing.stream().anyMatch(s -> s.name().equals(name))) {
            throw new InvalidConfigurationException("replicas." + region + ".name", name, "replicas." + region
                    + ".name must be unique across regions, but " + name + " was added twice");
        }
        Objects.requireNonNull(config, () -> "replicas." + region + "." + name + ": config must not be null");
    }

    private static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,32}");

    private final List<HikariDataSource> pools;
    private final ReplicaReads reads;
    private final ScheduledExecutorService scheduler;

    private ReplicaGroup(List<HikariDataSource> pools, ReplicaReads reads, ScheduledExecutorService scheduler) {
        this.pools = List.copyOf(pools);
        this.reads = reads;
        this.scheduler = scheduler;
    }

    /**
     * Creates the pools and probes and starts probing.
     *
     * @param router the router
     * @param primaries connects to the regions' primaries
     * @param sessionSetting the session setting that carries the region
     * @param specs the replicas, in preference order per region
     * @param config the bound and timings
     * @param events receives {@link io.regionrouter.jdbc.ReplicaStateChangedEvent}s
     * @return the started group
     */
    public static ReplicaGroup start(RegionRouter router, RoutingConnector primaries, String sessionSetting, List<Spec> specs,
            ReplicaReadConfig config, Consumer<RegionEvent> events) {
        List<HikariDataSource> pools = new ArrayList<>();
        Map<Region, List<ReplicaReads.Replica>> replicas = new LinkedHashMap<>();
        try {
            for (Spec spec : specs) {
                HikariConfig hikari = PoolFactory.hikariConfig(spec.region(), spec.config(), sessionSetting, false);
                hikari.setPoolName(poolName(spec));
                HikariDataSource pool = new HikariDataSource(hikari);
                pools.add(pool);
                Properties props = PoolFactory.driverProperties(spec.region(), spec.config(),
                        "region-router-replica-probe-" + spec.name());
                String url = spec.config().jdbcUrl();
                ReplicaProbe probe = new ReplicaProbe(spec.region(), spec.name(), () -> open(url, props), config, System::nanoTime,
                        events);
                replicas.computeIfAbsent(spec.region(), r -> new ArrayList<>()).add(new ReplicaReads.Replica(spec.name(), pool, probe));
            }
        } catch (RuntimeException e) {
            pools.forEach(HikariDataSource::close);
            throw e;
        }
        ReplicaReads reads = new ReplicaReads(router, primaries, replicas, config, System::nanoTime);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "region-router-replica-probe");
            t.setDaemon(true);
            return t;
        });
        reads.start(scheduler);
        return new ReplicaGroup(pools, reads, scheduler);
    }

    private static Connection open(String url, Properties props) throws java.sql.SQLException {
        return DriverManager.getConnection(url, props);
    }

    /** The pool name of a replica. */
    public static String poolName(Spec spec) {
        return PoolFactory.POOL_NAME_PREFIX + spec.region().id() + "-replica-" + spec.name();
    }

    /** The router of read-only connections. */
    public ReplicaReads reads() {
        return reads;
    }

    /** Stops probing and closes the probes' connections and the replica pools. Idempotent. */
    @Override
    public void close() {
        reads.close();
        scheduler.shutdownNow();
        pools.forEach(HikariDataSource::close);
    }
}
