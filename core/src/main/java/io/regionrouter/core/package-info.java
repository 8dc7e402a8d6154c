/**
 * Core routing model of region-router: which region serves a user's data.
 *
 * <h2>Overview</h2>
 * <ul>
 *   <li>{@link io.regionrouter.core.Region} is a validated region id, and
 *       {@link io.regionrouter.core.Topology} is the immutable description of the deployment: the
 *       regions, the local region of this process, the primary region for writes of
 *       {@link io.regionrouter.core.DataClass#GLOBAL GLOBAL} data, the proximity order from each
 *       region and the residency rules for {@link io.regionrouter.core.DataClass#REGULATED
 *       REGULATED} data.</li>
 *   <li>{@link io.regionrouter.core.RegionDirectory} is the SPI that maps a user to a home region.
 *       {@link io.regionrouter.core.StaticRegionDirectory} holds a fixed map and
 *       {@link io.regionrouter.core.CachingRegionDirectory} puts a bounded, refreshing cache in front
 *       of any directory.</li>
 *   <li>{@link io.regionrouter.core.RegionHealth} keeps one monitor per region on one shared
 *       scheduler, with hysteresis, and tells listeners about every state change.</li>
 *   <li>{@link io.regionrouter.core.RegionRouter} combines the three to decide the region for a
 *       {@code (user, DataClass, Access)} request. Residency fails closed: REGULATED data never
 *       goes to a region that the user's home region does not allow.</li>
 *   <li>{@link io.regionrouter.core.RegionContext} binds the current user or region to a thread
 *       for the adapters (JDBC, MongoDB, Redis) to read.</li>
 *   <li>{@link io.regionrouter.core.RegionEventListener} receives
 *       {@link io.regionrouter.core.RegionEvent}s: routed, fallback, residency denied and region
 *       state changed.</li>
 * </ul>
 *
 * <h2>Exceptions</h2>
 * All exceptions are unchecked and extend {@link io.regionrouter.core.RegionRouterException}.
 * Bad configuration fails when it is built, with an
 * {@link io.regionrouter.core.InvalidConfigurationException} that names the field and the value.
 *
 * <h2>Quick start</h2>
 * <pre>{@code
 * Topology topology = Topology.builder()
 *     .regions("us", "eu", "ap")
 *     .local("eu")
 *     .primary("us")
 *     .build();
 * RegionRouter router = RegionRouter.builder(topology)
 *     .directory(CachingRegionDirectory.builder(myDirectory).build())
 *     .health(health)
 *     .build();
 * Region region = router.route("alice", DataClass.REGULATED, Access.WRITE);
 * }</pre>
 *
 * <p>Everything in {@code io.regionrouter.core.internal} is implementation and may change without
 * notice.
 */
package io.regionrouter.core;
