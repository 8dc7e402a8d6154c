/**
 * Implementation of the Redis replication module. Everything in this package may change without
 * notice; use the API in {@code io.regionrouter.redis}.
 */
package io.regionrouter.redis.internal;
