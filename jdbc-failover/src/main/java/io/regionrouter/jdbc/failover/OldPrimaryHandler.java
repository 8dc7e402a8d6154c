package io.regionrouter.jdbc.failover;

import io.regionrouter.jdbc.failover.internal.ReadOnlyFence;
import javax.sql.DataSource;

/**
 * Decides what happens to an old primary that comes back writable after a failover. The router
 * never uses it either way; this only decides whether anything is done to the server itself.
 *
 * <p><b>Threading:</b> called on the manager's failover thread; must be thread-safe if shared.
 * <b>Failures:</b> an exception is logged; the handler is called again when the old primary is seen
 * writable the next time (every {@link FailoverConfig#sampleInterval()}).
 */
@FunctionalInterface
public interface OldPrimaryHandler {

    /**
     * Handles a returned old primary.
     *
     * @param event what was seen
     * @param oldPrimary administrative connections to the old primary (its {@link PgEndpoint} credentials)
     * @return true when the old primary is dealt with (no longer writable, or left to an operator), so
     *     it is not reported again until it goes away and returns; false to be called again
     * @throws Exception when handling failed; it is called again next time
     */
    boolean onReturn(OldPrimaryReturnedEvent event, DataSource oldPrimary) throws Exception;

    /** Reports only: the event is raised and logged, and the server is left to an operator. The default. */
    static OldPrimaryHandler reportOnly() {
        return (event, oldPrimary) -> true;
    }

    /**
     * Demotes the old primary to read-only: {@code ALTER SYSTEM SET default_transaction_read_only = on},
     * a configuration reload, and termination of the other sessions, so that none of them keeps
     * writing. The setting survives restarts. It stops applications that connect to it directly by
     * mistake; it is not a security barrier (a session may turn it off). Rebuild the server as a
     * standby of the new primary ({@code pg_rewind}) before using it again.
     */
    static OldPrimaryHandler readOnly() {
        return (event, oldPrimary) -> {
            ReadOnlyFence.apply(oldPrimary);
            return true;
        };
    }
}
