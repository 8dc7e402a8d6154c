/**
 * What region-router's failover module may do to the routing module's pools.
 *
 * <p>Not public API. On the module path this package is exported only to
 * {@code io.regionrouter.jdbc.failover}; on the class path it is reachable but may change or
 * disappear in any release without notice.
 */
package io.regionrouter.jdbc.support;
