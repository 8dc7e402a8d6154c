package io.regionrouter.spring.boot.internal;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionState;
import io.regionrouter.core.Store;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health per region and per store, read live from {@link RegionHealth}: {@code regionRouter} →
 * {@code us} → {@code postgres}. A store that is DOWN is DOWN here; a region is as healthy as its
 * worst store, by Boot's usual aggregation. Stores registered after startup appear as they come.
 */
public final class RegionHealthContributor implements CompositeHealthContributor {

    private final RegionHealth health;

    /**
     * Creates the contributor.
     *
     * @param health the health monitor
     */
    public RegionHealthContributor(RegionHealth health) {
        this.health = health;
    }

    @Override
    public HealthContributor getContributor(String name) {
        return health.registeredRegions().stream().filter(r -> r.id().equals(name)).findFirst().map(this::region).orElse(null);
    }

    @Override
    public Stream<Entry> stream() {
        return health.registeredRegions().stream().map(r -> new Entry(r.id(), region(r)));
    }

    private CompositeHealthContributor region(Region region) {
        return new CompositeHealthContributor() {
            @Override
            public HealthContributor getContributor(String name) {
                return stores().keySet().stream().filter(s -> s.name().equals(name)).findFirst().map(s -> store(region, s))
                        .orElse(null);
            }

            @Override
            public Stream<Entry> stream() {
                return stores().keySet().stream().map(s -> new Entry(s.name(), store(region, s)));
            }

            private Map<Store, RegionState> stores() {
                return health.states(region);
            }
        };
    }

    private HealthIndicator store(Region region, Store store) {
        return () -> {
            RegionState state = health.state(region, store);
            return (state == RegionState.UP ? Health.up() : Health.down()).withDetail("region", region.id())
                    .withDetail("store", store.name()).build();
        };
    }
}
