/**
 * Redis active-active replication for region-router.
 *
 * <p>{@link io.regionrouter.redis.RegionalRedis} writes every value to all the regions its key may
 * live in, at once, and completes when the {@link io.regionrouter.redis.AckPolicy} is met. Conflicts
 * are resolved by hybrid-logical-clock versions checked inside Redis, so an older write never
 * replaces a newer one; writes that a region missed go to a durable hint log and are replayed when
 * the region is back. Reads go to the local region first and fall back by proximity, skipping
 * regions that are DOWN.
 */
package io.regionrouter.redis;
