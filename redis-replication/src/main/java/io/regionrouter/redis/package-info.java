/**
 * Redis active-active replication for region-router.
 *
 * <p>{@link io.regionrouter.redis.RegionalRedis} writes every value to all the regions its key may
 * live in, at once, and completes when the {@link io.regionrouter.redis.AckPolicy} is met. Conflicts
 * are resolved by hybrid-logical-clock versions checked inside Redis, so an older write never
 * replaces a newer one; writes that a region missed go to a durable hint log and are replayed when
 * the region is back. Reads go to the local region first and fall back by proximity, skipping
 * regions that are DOWN.
 *
 * <p>Health is kept per (region, store) under {@link io.regionrouter.core.Store#REDIS} by default,
 * so another store's verdict never stops a Redis call, and only a server that could not be reached
 * or did not answer counts as a failure. Every call ends within
 * {@link io.regionrouter.redis.RegionalRedisConfig#operationTimeout()}; a write
 * whose outcome is unknown (it may have been applied) fails with
 * {@link io.regionrouter.redis.WriteOutcomeUnknownException}.
 */
package io.regionrouter.redis;
