package io.regionrouter.spring.boot.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.regionrouter.core.Access;
import io.regionrouter.core.CachingRegionDirectory;
import io.regionrouter.core.DataClass;
import io.regionrouter.core.FallbackEvent;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionEvent;
import io.regionrouter.core.RegionEventListener;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionStateChangedEvent;
import io.regionrouter.core.ResidencyDeniedEvent;
import io.regionrouter.core.RoutedEvent;
import io.regionrouter.core.Store;
import io.regionrouter.core.Topology;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The router's meters, tagged by region and store:
 *
 * <ul>
 *   <li>{@code regionrouter.health.state} (gauge: 1 UP, 0 DOWN) and
 *       {@code regionrouter.health.transitions} (counter, with {@code to}) per region and store;</li>
 *   <li>{@code regionrouter.routed} (counter, with data class, access and whether it fell back),
 *       {@code regionrouter.fallbacks} ({@code from}, {@code to}) and
 *       {@code regionrouter.residency.denials} ({@code home}, {@code target});</li>
 *   <li>{@code regionrouter.directory.cache.requests} ({@code result}: hit or miss) and
 *       {@code regionrouter.directory.cache.loads} ({@code result}: success or failure).</li>
 * </ul>
 * It learns of events as a {@link RegionEventListener} of the router and of the health monitor.
 */
public final class RegionRouterMeters implements MeterBinder, RegionEventListener {

    /** Calls routed. */
    public static final String ROUTED = "regionrouter.routed";
    /** Calls served by another region. */
    public static final String FALLBACKS = "regionrouter.fallbacks";
    /** Calls refused by residency. */
    public static final String DENIALS = "regionrouter.residency.denials";
    /** Store state changes. */
    public static final String TRANSITIONS = "regionrouter.health.transitions";

    private final Topology topology;
    private final RegionHealth health;
    private final CachingRegionDirectory directory;
    private final AtomicReference<MeterRegistry> registry = new AtomicReference<>();
    private final Set<String> stateGauges = ConcurrentHashMap.newKeySet();

    /**
     * Creates the meters.
     *
     * @param topology the regions, so that every series exists from the start at 0 and
     *     {@code increase()} sees its first event
     * @param health the health monitor, for the state gauges
     * @param directory the cached directory, for its statistics
     */
    public RegionRouterMeters(Topology topology, RegionHealth health, CachingRegionDirectory directory) {
        this.topology = topology;
        this.health = health;
        this.directory = directory;
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        registry.set(meters);
        for (Region region : health.registeredRegions()) {
            health.states(region).keySet().forEach(store -> stateGauge(meters, region, store));
        }
        for (Region region : topology.regions()) {
            for (DataClass dataClass : DataClass.values()) {
                for (Access access : Access.values()) {
                    routed(meters, region, dataClass, access, false);
                    routed(meters, region, dataClass, access, true);
                }
            }
            for (Region other : topology.regions()) {
                if (!other.equals(region)) {
                    fallbacks(meters, region, other);
                    denials(meters, region, other);
                }
            }
        }
        FunctionCounter.builder("regionrouter.directory.cache.requests", directory, d -> d.stats().hitCount()).tag("result", "hit")
                .description("Home-region lookups answered from the cache").register(meters);
        FunctionCounter.builder("regionrouter.directory.cache.requests", directory, d -> d.stats().missCount()).tag("result", "miss")
                .description("Home-region lookups that went to the directory").register(meters);
        FunctionCounter.builder("regionrouter.directory.cache.loads", directory, d -> d.stats().loadSuccessCount())
                .tag("result", "success").register(meters);
        FunctionCounter.builder("regionrouter.directory.cache.loads", directory, d -> d.stats().loadFailureCount())
                .tag("result", "failure").register(meters);
    }

    private void stateGauge(MeterRegistry meters, Region region, Store store) {
        if (stateGauges.add(region.id() + "/" + store.name())) {
            Gauge.builder("regionrouter.health.state", health, h -> h.isUp(region, store) ? 1 : 0)
                    .tags("region", region.id(), "store", store.name())
                    .description("1 while the store of the region is UP, 0 while DOWN").register(meters);
        }
    }

    @Override
    public void onEvent(RegionEvent event) {
        MeterRegistry meters = registry.get();
        if (meters == null) {
            return;
        }
        if (event instanceof RoutedEvent e) {
            routed(meters, e.region(), e.dataClass(), e.access(), e.fallback()).increment();
        } else if (event instanceof FallbackEvent e) {
            fallbacks(meters, e.from(), e.to()).increment();
        } else if (event instanceof ResidencyDeniedEvent e) {
            denials(meters, e.home(), e.target()).increment();
        } else if (event instanceof RegionStateChangedEvent e) {
            stateGauge(meters, e.region(), e.store());
            Counter.builder(TRANSITIONS).tags("region", e.region().id(), "store", e.store().name(), "to",
                    e.to().name().toLowerCase(Locale.ROOT)).register(meters).increment();
        }
    }

    private static Counter routed(MeterRegistry meters, Region region, DataClass dataClass, Access access, boolean fallback) {
        return Counter.builder(ROUTED).tags("region", region.id(), "data_class", dataClass.name().toLowerCase(Locale.ROOT),
                "access", access.name().toLowerCase(Locale.ROOT), "fallback", Boolean.toString(fallback))
                .description("Calls routed, by the region chosen").register(meters);
    }

    private static Counter fallbacks(MeterRegistry meters, Region from, Region to) {
        return Counter.builder(FALLBACKS).tags("from", from.id(), "to", to.id())
                .description("Calls served by another region than the one they were meant for").register(meters);
    }

    private static Counter denials(MeterRegistry meters, Region home, Region target) {
        return Counter.builder(DENIALS).tags("home", home.id(), "target", target.id())
                .description("Calls refused by the residency rules").register(meters);
    }
}
