package io.regionrouter.jdbc.failover.internal;

import io.regionrouter.core.Region;
import io.regionrouter.core.support.EventDispatcher;
import io.regionrouter.jdbc.failover.OldPrimaryHandler;
import io.regionrouter.jdbc.failover.OldPrimaryReturnedEvent;
import io.regionrouter.jdbc.failover.PgEndpoint;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the primaries that failovers replaced. One that answers writable (not in recovery) is
 * reported as an {@link OldPrimaryReturnedEvent} and handed to the {@link OldPrimaryHandler}; it is
 * reported again only after it went away, or if the handler did not deal with it. Thread-safe.
 */
public final class FenceWatcher {

    private static final Logger LOG = LoggerFactory.getLogger(FenceWatcher.class);

    private static final class Fenced {
        final Region region;
        final PgEndpoint endpoint;
        final long promotionLsn;
        final long epoch;
        volatile boolean handled;

        Fenced(Region region, PgEndpoint endpoint, long promotionLsn, long epoch, boolean handled) {
            this.region = region;
            this.endpoint = endpoint;
            this.promotionLsn = promotionLsn;
            this.epoch = epoch;
            this.handled = handled;
        }
    }

    private final PgAdmin admin;
    private final OldPrimaryHandler handler;
    private final EventDispatcher events;
    private final List<Fenced> fenced = new CopyOnWriteArrayList<>();

    /**
     * Creates the watcher.
     *
     * @param admin runs the checks
     * @param handler decides what happens to a returned old primary
     * @param events receives the events
     */
    public FenceWatcher(PgAdmin admin, OldPrimaryHandler handler, EventDispatcher events) {
        this.admin = admin;
        this.handler = handler;
        this.events = events;
    }

    /**
     * Starts watching an old primary.
     *
     * @param region its region
     * @param endpoint the old primary
     * @param promotionLsn the standby's WAL position when it was promoted
     * @param epoch the epoch the old primary served
     * @param alreadyFenced true when the failover fenced it itself (a switchover), so it is reported only
     *     once it went away and came back
     */
    public void watch(Region region, PgEndpoint endpoint, long promotionLsn, long epoch, boolean alreadyFenced) {
        fenced.add(new Fenced(region, endpoint, promotionLsn, epoch, alreadyFenced));
    }

    /** Checks every old primary once. Never throws. */
    public void checkAll() {
        for (Fenced f : fenced) {
            long lsn;
            try {
                lsn = admin.writableLsn(f.endpoint);
            } catch (SQLException | RuntimeException e) {
                LOG.debug("region-router failover: old primary {} of region {} does not answer: {}", f.endpoint.name(),
                        f.region, e.toString());
                f.handled = false; // gone (again): report it when it comes back
                continue;
            }
            if (lsn < 0 || f.handled) {
                continue; // in recovery (rebuilt as a standby), or already dealt with
            }
            long ahead = f.promotionLsn < 0 ? -1 : Math.max(0, lsn - f.promotionLsn);
            OldPrimaryReturnedEvent event = new OldPrimaryReturnedEvent(f.region, f.endpoint.name(), f.epoch, ahead);
            LOG.error("region-router failover: the old primary {} of region {} (epoch {}) is back and writable; the router"
                    + " does not use it; its WAL runs {} bytes past the promotion point. Rebuild it as a standby.",
                    f.endpoint.name(), f.region, f.epoch, ahead);
            events.publish(event);
            try {
                f.handled = handler.onReturn(event, admin.dataSource(f.endpoint));
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    return;
                }
                LOG.error("region-router failover: the old primary handler failed for {} of region {}; will retry",
                        f.endpoint.name(), f.region, e);
            }
        }
    }

    /** How many old primaries are watched. */
    public int size() {
        return fenced.size();
    }
}
