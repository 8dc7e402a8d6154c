package io.regionrouter.spring.boot;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.Topology;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/regionrouter}: how this instance routes. The topology (regions, local, primary,
 * proximity, residency), the state of each store in each region, and what each store adds (the
 * epoch of each region's PostgreSQL pool, the hint backlog towards each Redis region). Names no
 * user and no secret.
 */
@Endpoint(id = "regionrouter")
public class RegionRouterEndpoint {

    private final RegionRouter router;
    private final List<Function<Region, Map<String, Object>>> storeDetails;

    /**
     * Creates the endpoint.
     *
     * @param router the router
     * @param storeDetails per-region details of each configured store
     */
    public RegionRouterEndpoint(RegionRouter router, List<Function<Region, Map<String, Object>>> storeDetails) {
        this.router = router;
        this.storeDetails = List.copyOf(storeDetails);
    }

    /**
     * The routing state.
     *
     * @return a JSON-friendly map
     */
    @ReadOperation
    public Map<String, Object> routing() {
        Topology topology = router.topology();
        RegionHealth health = router.health();
        Map<String, Object> regions = new LinkedHashMap<>();
        for (Region region : topology.regions()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("proximity", topology.proximity(region).stream().map(Region::id).toList());
            r.put("regulatedDataMayLiveIn", topology.allowedRegions(region).stream().map(Region::id).toList());
            Map<String, String> stores = new LinkedHashMap<>();
            health.states(region).forEach((store, state) -> stores.put(store.name(), state.name()));
            r.put("stores", stores);
            storeDetails.forEach(d -> r.putAll(d.apply(region)));
            regions.put(region.id(), r);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("local", topology.local().id());
        out.put("primary", topology.primary().id());
        out.put("regions", regions);
        return out;
    }
}
