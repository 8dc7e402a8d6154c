package io.regionrouter.jdbc.failover.internal;

import io.regionrouter.jdbc.failover.PgEndpoint;
import java.sql.SQLException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Promotes a standby idempotently: a server that is no longer in recovery, or that answers
 * "recovery is not in progress" ({@code 55000}) because another instance or an operator promoted it
 * meanwhile, counts as promoted. Stateless.
 */
public final class PromoteOnce {

    private static final Logger LOG = LoggerFactory.getLogger(PromoteOnce.class);

    /** The SQLSTATE of "recovery is not in progress": the server was promoted already. */
    public static final String NOT_IN_RECOVERY = "55000";

    private PromoteOnce() {
    }

    /**
     * Promotes the standby unless it is promoted already.
     *
     * @param admin runs the SQL
     * @param standby the server
     * @param wait how long {@code pg_promote} may take
     * @return true if this call promoted it, false if it was promoted already
     * @throws SQLException if the promotion failed or did not finish in time
     */
    public static boolean promote(PgAdmin admin, PgEndpoint standby, Duration wait) throws SQLException {
        if (!admin.isInRecovery(standby)) {
            LOG.warn("region-router failover: {} is already promoted; counting it as done", standby.name());
            return false;
        }
        try {
            if (!admin.promote(standby, wait)) {
                throw new SQLException("pg_promote did not finish within " + wait);
            }
            return true;
        } catch (SQLException e) {
            if (NOT_IN_RECOVERY.equals(e.getSQLState()) && !admin.isInRecovery(standby)) {
                LOG.warn("region-router failover: {} was promoted by someone else meanwhile; counting it as done", standby.name());
                return false;
            }
            throw e;
        }
    }
}
