package io.regionrouter.jdbc.replication;

import io.regionrouter.core.Region;
import io.regionrouter.jdbc.replication.internal.StatusReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

/**
 * One streaming standby (read replica), as it reports itself.
 *
 * <p>The lag is {@code clock_timestamp() - pg_last_xact_replay_timestamp()} while the standby has
 * received WAL it has not replayed, and zero when it has replayed everything it received. An idle
 * primary therefore does not look like lag.
 *
 * @param region the region of the standby's primary
 * @param name the standby's configured name
 * @param inRecovery whether it is still a standby (false once promoted)
 * @param replayPaused whether replay is paused ({@code pg_wal_replay_pause()})
 * @param receiving whether its WAL receiver streams from the primary
 * @param replayLag the lag, if known
 * @param replayLsn the last WAL position replayed, as text such as {@code 0/3000148}
 */
public record StandbyStatus(Region region, String name, boolean inRecovery, boolean replayPaused, boolean receiving,
        Optional<Duration> replayLag, String replayLsn) {

    /**
     * Asks a standby for its own status, with one query that any role may run.
     *
     * @param standby a connection to the standby
     * @param region the region of the standby's primary
     * @param name the standby's configured name
     * @param timeoutSeconds the query's timeout, in whole seconds (at least 1)
     * @return the status
     * @throws SQLException if the query fails or times out
     */
    public static StandbyStatus query(Connection standby, Region region, String name, int timeoutSeconds)
            throws SQLException {
        return StatusReader.standby(standby, region, name, Math.max(1, timeoutSeconds));
    }
}
