/**
 * PostgreSQL routing and data residency for region-router.
 *
 * <p>{@link io.regionrouter.jdbc.RegionalDataSources} keeps one HikariCP pool per region, binds the
 * region to every physical connection as a session setting, probes each region's health on its own
 * connection and hands out region-routed {@link javax.sql.DataSource}s: one per user and one,
 * {@link io.regionrouter.jdbc.RegionRoutingDataSource}, that routes by the thread's
 * {@link io.regionrouter.core.RegionContext}. {@link io.regionrouter.jdbc.ResidencySchema} makes the
 * database enforce the same residency rules through list partitions, CHECK constraints and forced
 * row-level security, and audits tables for rows stored outside their region.
 * {@link io.regionrouter.jdbc.JdbcRegionDirectory} keeps users' home regions in a table. Read-only
 * work can use read replicas within a lag bound; replication between regions lives in its own
 * artifact, {@code region-router-jdbc-replication}; failover of a region's primary too,
 * {@code region-router-jdbc-failover}, which alone may repoint a region's pools (through a package
 * this module exports to it only).
 */
package io.regionrouter.jdbc;
