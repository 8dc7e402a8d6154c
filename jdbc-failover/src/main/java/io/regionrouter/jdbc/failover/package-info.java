/**
 * Failover of a region's PostgreSQL primary to a streaming standby.
 *
 * <p>{@link io.regionrouter.jdbc.failover.FailoverManager} watches each configured primary with a
 * strict {@link io.regionrouter.core.RegionHealth} of its own, confirms a DOWN by probing the
 * primary directly, checks that the standby's location respects the residency rules, promotes the
 * standby with {@code pg_promote(wait => true)}, checks that it is writable, switches the region's
 * pool of {@link io.regionrouter.jdbc.RegionalDataSources} over to it under a higher epoch and
 * soft-evicts the connections to the old primary. A returning old primary is reported (and, with
 * a handler, fenced), never used again. {@link io.regionrouter.jdbc.failover.FailoverManager#drill}
 * runs the same path as a controlled switchover and reports its timings and the writes lost.
 */
package io.regionrouter.jdbc.failover;
