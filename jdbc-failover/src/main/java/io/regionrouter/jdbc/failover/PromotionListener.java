package io.regionrouter.jdbc.failover;

import io.regionrouter.core.Region;

/**
 * Hooks around a promotion, so that applications can update DNS, service discovery or their
 * configuration.
 *
 * <p><b>Threading:</b> called on the manager's failover thread, one failover at a time; must be
 * thread-safe if shared. The failover waits for the listener, so it should be quick (its time counts
 * towards the recovery time).
 *
 * <p><b>Failures:</b> an exception thrown by {@link #beforePromotion} vetoes the failover: nothing is
 * promoted and a {@link FailoverAbortedEvent} is raised. An exception thrown by
 * {@link #afterPromotion} is logged and ignored: the promotion has happened.
 */
public interface PromotionListener {

    /**
     * Called after the failure was confirmed and the target checked, before {@code pg_promote}.
     *
     * @param region the region
     * @param from the old primary
     * @param to the standby about to be promoted
     * @param newEpoch the epoch the region gets
     * @throws Exception to veto the failover
     */
    default void beforePromotion(Region region, PgEndpoint from, PgEndpoint to, long newEpoch) throws Exception {
    }

    /**
     * Called once the region's pool uses the promoted standby.
     *
     * @param report the failover's report
     */
    default void afterPromotion(FailoverReport report) {
    }
}
