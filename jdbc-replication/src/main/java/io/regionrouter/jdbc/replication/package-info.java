/**
 * PostgreSQL replication between regions, planned from the {@link io.regionrouter.core.Topology}.
 *
 * <ul>
 *   <li>{@link io.regionrouter.jdbc.replication.LogicalReplication} creates the publications (with
 *       row filters for REGULATED tables) and subscriptions that a
 *       {@link io.regionrouter.jdbc.replication.ReplicationPlan} needs, refuses plans that break
 *       residency before any DDL, checks the preconditions, and applies and tears down idempotently.</li>
 *   <li>{@link io.regionrouter.jdbc.replication.ReplicationMonitor} reads lag, slot retention and
 *       subscription health, raises events, and publishes Micrometer gauges through
 *       {@link io.regionrouter.jdbc.replication.ReplicationMetrics} when Micrometer is present.</li>
 *   <li>{@link io.regionrouter.jdbc.ReplicaReadConfig} configures lag-aware reads from read
 *       replicas, which {@link io.regionrouter.jdbc.RegionalDataSources.Builder#replica} adds.</li>
 * </ul>
 */
package io.regionrouter.jdbc.replication;
