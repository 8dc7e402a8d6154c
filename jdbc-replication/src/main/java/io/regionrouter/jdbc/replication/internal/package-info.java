/**
 * Implementation of region-router's PostgreSQL replication management. Everything in this package
 * may change without notice between releases; use the types of
 * {@code io.regionrouter.jdbc.replication} instead.
 */
package io.regionrouter.jdbc.replication.internal;
