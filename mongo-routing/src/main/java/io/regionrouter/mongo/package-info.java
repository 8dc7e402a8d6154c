/**
 * MongoDB adapter of region-router.
 *
 * <ul>
 *   <li>{@link io.regionrouter.mongo.RegionalMongoClients}: one client per region cluster, users routed
 *       to their home cluster (REGULATED, fail-closed) and GLOBAL reads to the nearest healthy one.
 *       Health is kept per (region, store) under {@link io.regionrouter.core.Store#MONGO}; every call
 *       is bounded, and a write that may have been applied says so
 *       ({@link io.regionrouter.core.OutcomeUnknownException}).</li>
 *   <li>{@link io.regionrouter.mongo.RegionAwareServerSelector}: member selection by region inside one
 *       cluster that spans regions.</li>
 *   <li>{@link io.regionrouter.mongo.ResidencyGuard}: rejects documents, updates, upserts, update
 *       pipelines, aggregations that write and commands that could put data into a cluster where it
 *       may not be written, before anything is sent; it fails closed on what it cannot prove safe.</li>
 *   <li>{@link io.regionrouter.mongo.ZoneSharding}: idempotent zone-sharding set-up from the topology.</li>
 *   <li>{@link io.regionrouter.mongo.MongoHealthProbe}: the {@code ping} probe fed to
 *       {@link io.regionrouter.core.RegionHealth}.</li>
 * </ul>
 */
package io.regionrouter.mongo;
