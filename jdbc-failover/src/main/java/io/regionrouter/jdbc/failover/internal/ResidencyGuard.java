package io.regionrouter.jdbc.failover.internal;

import io.regionrouter.core.Topology;
import io.regionrouter.jdbc.failover.FailoverGroup;
import io.regionrouter.jdbc.failover.FailoverRefusedException;

/** Refuses failover targets that would hold a region's REGULATED data outside its allowed regions. */
public final class ResidencyGuard {

    private ResidencyGuard() {
    }

    /**
     * Checks a group's standby against the residency rules.
     *
     * @param topology the topology with the rules
     * @param group the group
     * @throws FailoverRefusedException if the standby's location is not allowed for the region's data
     */
    public static void check(Topology topology, FailoverGroup group) {
        if (!topology.contains(group.standby().location())
                || !topology.isAllowed(group.region(), group.standby().location())) {
            throw new FailoverRefusedException(group.region(), group.standby().name(), group.standby().location(),
                    topology.allowedRegions(group.region()));
        }
    }
}
