package io.regionrouter.jdbc.failover;

import io.regionrouter.core.Region;
import java.time.Duration;

/**
 * The coordination engine that lets a fleet promote a region's standby once: a lease (leadership)
 * per region's group, a monotonic epoch token, and a shared record of which instances still reach
 * the primary. Only the lease holder promotes, and only when no live instance still reaches the
 * primary. Implemented on ZooKeeper by {@link CuratorCoordinator}; etcd or a Kubernetes Lease can
 * implement it the same way.
 *
 * <p>Implementations are thread-safe. Methods may throw {@link CoordinatorException} when the
 * engine cannot be reached; the failover manager then does not promote.
 */
public interface Coordinator extends AutoCloseable {

    /**
     * Joins the region's group: competes for its lease and publishes this instance's view.
     * Called once per region at the manager's start.
     *
     * @param region the region
     */
    void join(Region region);

    /**
     * Whether this instance holds the region's lease now. False as soon as the engine's session is
     * suspended or lost, before the lease could expire: a holder that cannot be sure steps down.
     *
     * @param region a joined region
     * @return true while it holds the lease
     */
    boolean holdsLease(Region region);

    /**
     * Publishes whether this instance reaches the region's primary. Cheap; called on every change.
     *
     * @param region a joined region
     * @param reachable whether the primary answers this instance
     */
    void reportPrimaryReachable(Region region, boolean reachable);

    /**
     * Whether every live instance of the fleet has reported the region's primary unreachable, this
     * one included. An instance that reaches the primary vetoes a promotion: a partition of some
     * instances from the primary is not a dead primary.
     *
     * @param region a joined region
     * @return true only when all live instances report it unreachable
     */
    boolean primaryUnreachableForAll(Region region);

    /**
     * Takes a new epoch for a promotion: higher than every epoch taken before, by any instance.
     * Blocks until this instance has held the lease for {@link #leaseDuration()}, so that a
     * previous holder that lost its session has stepped down; fails if the lease is lost meanwhile.
     *
     * @param region a joined region
     * @return the epoch token, at least 1
     * @throws CoordinatorException if this instance does not hold the lease or the engine fails
     * @throws InterruptedException if interrupted while waiting
     */
    long nextEpoch(Region region) throws InterruptedException;

    /** How long a lease outlives its holder's last contact with the engine (the session timeout). */
    Duration leaseDuration();

    /** Leaves every group and releases the engine's client if this coordinator created it. */
    @Override
    void close();
}
