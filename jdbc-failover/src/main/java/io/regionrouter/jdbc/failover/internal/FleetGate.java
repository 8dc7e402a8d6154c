package io.regionrouter.jdbc.failover.internal;

import io.regionrouter.core.Region;
import io.regionrouter.jdbc.failover.Coordinator;
import io.regionrouter.jdbc.failover.FailoverGroup;
import io.regionrouter.jdbc.failover.PrimaryIdentity;
import java.sql.SQLException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether this instance may promote now, and with which epoch: under a {@link Coordinator},
 * only the lease holder, only when every live instance reports the primary unreachable, and with the
 * coordinator's token; without one (a declared single instance), always, with one epoch above every
 * epoch the servers recorded. Any failure of the coordinator means "not now". Thread-safe.
 */
public final class FleetGate {

    private static final Logger LOG = LoggerFactory.getLogger(FleetGate.class);

    private final Coordinator coordinator;
    private final PgAdmin admin;

    /**
     * Creates the gate.
     *
     * @param coordinator the coordinator, or null for a single instance
     * @param admin reads the epoch recorded on a standby
     */
    public FleetGate(Coordinator coordinator, PgAdmin admin) {
        this.coordinator = coordinator;
        this.admin = admin;
    }

    /** Whether a coordinator decides. */
    public boolean coordinated() {
        return coordinator != null;
    }

    /** Joins the region's group in the coordinator, if any. */
    public void join(Region region) {
        if (coordinator != null) {
            coordinator.join(region);
        }
    }

    /** Publishes this instance's view of the region's primary, if coordinated; a failure is logged. */
    public void report(Region region, boolean reachable) {
        if (coordinator == null) {
            return;
        }
        try {
            coordinator.reportPrimaryReachable(region, reachable);
        } catch (RuntimeException e) {
            LOG.warn("region-router failover: could not publish the view of region {}'s primary: {}", region, e.toString());
        }
    }

    /** Whether this instance may still act on the region: it holds the lease, or nobody coordinates. */
    public boolean entitled(Region region) {
        return coordinator == null || coordinator.holdsLease(region);
    }

    /** Whether the fleet lets this instance promote the region's standby now. */
    public boolean fleetAgrees(Region region) {
        if (coordinator == null) {
            return true;
        }
        try {
            // republish: a view written while the coordinator was unreachable may not have landed
            coordinator.reportPrimaryReachable(region, false);
            if (!coordinator.holdsLease(region)) {
                LOG.info("region-router failover: primary of {} is down here; another instance holds the lease", region);
                return false;
            }
            if (!coordinator.primaryUnreachableForAll(region)) {
                LOG.warn("region-router failover: primary of {} is down here, but another instance still reaches it;"
                        + " not promoting", region);
                return false;
            }
            return true;
        } catch (RuntimeException e) {
            LOG.warn("region-router failover: the coordinator cannot answer for region {} ({}); not promoting", region, e.toString());
            return false;
        }
    }

    /**
     * The epoch of a promotion: the coordinator's token, or one above every epoch seen.
     *
     * @param group the group
     * @param highestSeen the highest identity this instance has seen, if any
     * @return the epoch
     * @throws InterruptedException if interrupted while the coordinator waits out a lease
     */
    public long nextEpoch(FailoverGroup group, Optional<PrimaryIdentity> highestSeen) throws InterruptedException {
        if (coordinator != null) {
            return coordinator.nextEpoch(group.region());
        }
        long seen = highestSeen.map(PrimaryIdentity::epoch).orElse(0L);
        try {
            seen = Math.max(seen, admin.state(group.standby()).identity().epoch());
        } catch (SQLException e) {
            LOG.debug("region-router failover: could not read the epoch recorded on {}: {}", group.standby().name(), e.toString());
        }
        return seen + 1;
    }
}
