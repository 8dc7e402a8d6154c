package io.regionrouter.spring.boot;

import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Topology;
import java.util.List;

/** Builds a {@link Topology} from {@code region-router.*}. Stateless. */
final class Topologies {

    private Topologies() {
    }

    static Topology from(RegionRouterProperties p) {
        if (p.getRegions() == null || p.getRegions().isEmpty()) {
            throw new InvalidConfigurationException("region-router.regions", p.getRegions(),
                    "region-router.regions must list the regions, such as us,eu,ap, but was empty");
        }
        Topology.Builder b = Topology.builder().regions(p.getRegions().toArray(String[]::new)).local(p.getLocal())
                .primary(p.getPrimary() == null ? p.getLocal() : p.getPrimary());
        p.getProximity().forEach((from, nearest) -> b.proximity(from, array(nearest)));
        p.getResidency().forEach((home, allowed) -> b.residency(home, array(allowed)));
        p.getMultiWriter().forEach((home, others) -> b.multiWriter(home, array(others)));
        return b.build();
    }

    private static String[] array(List<String> values) {
        return values.toArray(String[]::new);
    }
}
