/**
 * Failover of a region's PostgreSQL primary, for a fleet of application instances (artifact
 * {@code region-router-jdbc-failover}).
 *
 * <p>{@link io.regionrouter.jdbc.failover.FailoverManager} makes every instance follow the current
 * primary of each region, found from the servers themselves by
 * {@link io.regionrouter.jdbc.failover.PrimaryIdentity} (system identifier, timeline, epoch), whoever
 * promoted it; a server on an older timeline is never written, and a region whose primary cannot be
 * proven is refused rather than written. With a {@link io.regionrouter.jdbc.failover.Coordinator}
 * ({@link io.regionrouter.jdbc.failover.CuratorCoordinator} on ZooKeeper) the fleet also promotes a
 * dead primary's standby automatically, once: only the lease holder does, after fencing the old
 * primary when it answers, and only when no live instance still reaches it.
 */
package io.regionrouter.jdbc.failover;
