package io.regionrouter.jdbc.failover.internal;

import io.regionrouter.jdbc.failover.PgEndpoint;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/** The administrative SQL a failover runs. Implementations are thread-safe. */
public interface PgAdmin {

    /**
     * A sample of a primary.
     *
     * @param walLsn its WAL insert position: every acknowledged commit lies before it
     * @param synchronousConfigured {@code synchronous_standby_names} is set and {@code synchronous_commit}
     *     waits for the standby ({@code on}, {@code remote_write} or {@code remote_apply})
     * @param synchronousStandbyConnected a WAL sender is in {@code sync} or {@code quorum} state
     */
    record PrimarySample(long walLsn, boolean synchronousConfigured, boolean synchronousStandbyConnected) {
    }

    /** An unpooled data source with the endpoint's administrative credentials and bounded timeouts. */
    DataSource dataSource(PgEndpoint endpoint);

    /**
     * Connects afresh and runs {@code SELECT 1}, giving up after the timeout.
     *
     * @throws Exception when the server did not answer in time
     */
    void ping(PgEndpoint endpoint, Duration timeout) throws Exception;

    /** {@code pg_is_in_recovery()}. */
    boolean isInRecovery(PgEndpoint endpoint) throws SQLException;

    /** {@code pg_promote(wait => true, wait_seconds => ...)}: true when the promotion finished in time. */
    boolean promote(PgEndpoint standby, Duration wait) throws SQLException;

    /** The primary's WAL position and synchronous state. */
    PrimarySample samplePrimary(PgEndpoint primary) throws SQLException;

    /** The standby's WAL position: the greater of what it received and what it replayed. */
    long standbyLsn(PgEndpoint standby) throws SQLException;

    /**
     * The server's own WAL position if it is not in recovery.
     *
     * @return the position, or -1 when the server is in recovery
     */
    long writableLsn(PgEndpoint endpoint) throws SQLException;

    /**
     * Waits until the standby has replayed up to the position.
     *
     * @return true if it did within the timeout
     */
    boolean awaitReplay(PgEndpoint standby, long lsn, Duration timeout) throws SQLException, InterruptedException;

    /** The server's recovery state, read-only setting, system identifier, timeline and recorded epoch. */
    ServerState state(PgEndpoint endpoint) throws SQLException;

    /** Records a promotion's epoch on the promoted server, see {@link EpochTable#record}. */
    void recordEpoch(PgEndpoint primary, long epoch, String promotedBy) throws SQLException;
}
