package io.regionrouter.jdbc.support;

import io.regionrouter.core.Region;
import io.regionrouter.jdbc.RegionPoolConfig;
import javax.sql.DataSource;

/**
 * What a failover may do to a {@link io.regionrouter.jdbc.RegionalDataSources}: repoint a region at
 * another server, refuse its connections, or hold one of its replicas. Not public API: an application
 * that could call these would move a region's writes to any server it names.
 */
public interface PoolControl {

    /**
     * Points a region's connections and its health probe at another server under a higher epoch. A pool
     * is built for the server from {@code config}, exactly as the region's original pool was, and must
     * reach the server at once; then only its connections are handed out.
     *
     * @param region a configured region
     * @param config the application's pool settings for the new server
     * @param epoch the new epoch; must be higher than the current one
     * @return the data source it replaced, its connections soft-evicted; the caller closes it once
     *         in-flight work has drained
     * @throws IllegalStateException if epoch is not higher than the current epoch
     */
    DataSource switchRegion(Region region, RegionPoolConfig config, long epoch);

    /**
     * Refuses a region's connections under a higher epoch, until a later switch: every checkout fails at
     * once with a transient {@link java.sql.SQLTransientConnectionException} (SQLSTATE 08004) that gives
     * the reason.
     *
     * @param region a configured region
     * @param epoch the new epoch; must be higher than the current one
     * @param reason why, for the callers' errors; must not hold secrets
     * @return the data source it replaced, its connections soft-evicted; the caller closes it
     */
    DataSource suspendRegion(Region region, long epoch, String reason);

    /**
     * Keeps read-only work away from a replica, whatever its lag, or lets its lag decide again.
     *
     * @param region a configured region
     * @param name the replica's name
     * @param reason why it is held, or null to release it
     * @throws IllegalArgumentException if the region has no replica of that name
     */
    void holdReplica(Region region, String name, String reason);
}
