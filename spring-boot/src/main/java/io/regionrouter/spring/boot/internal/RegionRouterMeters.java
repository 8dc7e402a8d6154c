package io.regionrouter.spring.boot.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.regionrouter.core.CachingRegionDirectory;
import io.regionrouter.core.FallbackEvent;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionEvent;
import io.regionrouter.core.RegionEventListener;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionStateChangedEvent;
import io.regionrouter.core.ResidencyDeniedEvent;
import io.regionrouter.core.RoutedEvent;
import io.regionrouter.core.Store;
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

    private final RegionHealth health;
    private final CachingRegionDirectory directory;
    private final AtomicReference<MeterRegistry> registry = new AtomicReference<>();
    private final Set<String> stateGauges = ConcurrentHashMap.newKeySet();

    /**
     * Creates the meters.
     *
     * @param health the health monitor, for the state gauges
     * @param directory the cached directory, for its statistics
     */
    public RegionRouterMeters(RegionHealth health, CachingRegionDirectory directory) {
        this.health = health;
        this.directory = directory;
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        registry.set(meters);
        for (Region region : health.registeredRegions()) {
            health.states(region).keySet().forEach(store -> stateGauge(meters, region, store));
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
            Counter.builder("regionrouter.routed").tags("region", e.region().id(), "data_class", e.dataClass().name().toLowerCase(),
                    "access", e.access().name().toLowerCase(), "fallback", Boolean.toString(e.fallback())).register(meters).increment();
        } else if (event instanceof FallbackEvent e) {
            Counter.builder("regionrouter.fallbacks").tags("from", e.from().id(), "to", e.to().id()).register(meters).increment();
        } else if (event instanceof ResidencyDeniedEvent e) {
            Counter.builder("regionrouter.residency.denials").tags("home", e.home().id(), "target", e.target().id()).register(meters)
                    .increment();
        } else if (event instanceof RegionStateChangedEvent e) {
            stateGauge(meters, e.region(), e.store());
            Counter.builder("regionrouter.health.transitions").tags("region", e.region().id(), "store", e.store().name(), "to",
                    e.to().name().toLowerCase()).register(meters).increment();
        }
    }
}
