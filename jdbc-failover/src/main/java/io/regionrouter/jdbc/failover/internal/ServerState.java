package io.regionrouter.jdbc.failover.internal;

import io.regionrouter.jdbc.failover.PrimaryIdentity;

/**
 * What one server said about itself.
 *
 * @param inRecovery {@code pg_is_in_recovery()}
 * @param readOnly new transactions are read-only ({@code default_transaction_read_only}), as after a fence
 * @param identity its system identifier, current timeline and recorded epoch
 */
public record ServerState(boolean inRecovery, boolean readOnly, PrimaryIdentity identity) {

    /** Whether the application may write there: not in recovery and not fenced read-only. */
    public boolean writable() {
        return !inRecovery && !readOnly;
    }
}
