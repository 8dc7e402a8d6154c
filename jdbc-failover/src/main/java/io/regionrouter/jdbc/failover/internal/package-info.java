/**
 * Implementation of region-router's PostgreSQL failover. Everything in this package may change
 * without notice between releases; use the types of {@code io.regionrouter.jdbc.failover} instead.
 */
package io.regionrouter.jdbc.failover.internal;
