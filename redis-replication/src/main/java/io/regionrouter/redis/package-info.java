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
 *
 * <p>It fails closed: a key is GLOBAL only if a declared prefix says so, every other key is REGULATED
 * for its owner, and the module's own keys ({@code rr:}) are refused to the application; endpoints
 * must be {@code rediss://} unless plaintext is allowed explicitly (and then logged at WARN); and the
 * hint log of each target region is bounded in bytes, a hint past the bound being refused and
 * reported rather than kept.
 */
package io.regionrouter.redis;
