package io.regionrouter.jdbc.failover.internal;

import io.regionrouter.core.Region;
import io.regionrouter.core.support.EventDispatcher;
import io.regionrouter.jdbc.RegionalDataSources;
import io.regionrouter.jdbc.failover.FailoverConfig;
import io.regionrouter.jdbc.failover.FailoverGroup;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Follower}s of a manager, one per region: the first round at start, the periodic rounds,
 * waiting for a region to follow a server, and closing replaced pools after their drain. Thread-safe.
 */
public final class Followers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Followers.class);

    /** The first round, at start, waits this many follow timeouts: it opens every connection. */
    public static final int STARTUP_ROUND_FACTOR = 10;

    private final Map<Region, Follower> followers = new ConcurrentHashMap<>();
    private final RegionalDataSources pg;
    private final FailoverConfig config;
    private final PgAdmin admin;
    private final FailoverThreads threads;
    private final EventDispatcher events;
    private final LongSupplier ticker;

    /**
     * Creates the followers; none runs before {@link #start}.
     *
     * @param pg the data sources whose regions they switch
     * @param config the follow settings
     * @param admin opens administrative connections
     * @param threads the manager's threads
     * @param events where events go
     * @param ticker nano time
     */
    public Followers(RegionalDataSources pg, FailoverConfig config, PgAdmin admin, FailoverThreads threads, EventDispatcher events,
            LongSupplier ticker) {
        this.pg = pg;
        this.config = config;
        this.admin = admin;
        this.threads = threads;
        this.events = events;
        this.ticker = ticker;
    }

    /**
     * Starts following a region: runs its first round now, before the application gets the region, so
     * that a restarted instance never writes to an old primary.
     *
     * @param group the region's group
     * @throws InterruptedException if interrupted during the first round
     */
    public void start(FailoverGroup group) throws InterruptedException {
        Follower f = new Follower(group, pg, admin, threads.pings(), config.followTimeout(), events, this::retire, ticker);
        followers.put(group.region(), f);
        f.round(config.followTimeout().multipliedBy(STARTUP_ROUND_FACTOR));
    }

    /**
     * Runs a round for every region every follow interval.
     *
     * @param afterRound called after each region's round, with the region and its follower
     */
    public void schedule(BiConsumer<Region, Follower> afterRound) {
        long every = config.followInterval().toMillis();
        threads.follow().scheduleWithFixedDelay(() -> {
            for (Follower f : followers.values()) {
                try {
                    f.round();
                    afterRound.accept(f.region(), f);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (RuntimeException e) {
                    LOG.error("region-router failover: follow round of region {} failed; next round tries again", f.region(), e);
                }
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    /** The region's follower. */
    public Follower of(Region region) {
        return followers.get(region);
    }

    /**
     * Runs rounds until the region writes to the server, or the time is up.
     *
     * @return true once it does
     * @throws InterruptedException if interrupted
     */
    public boolean await(Region region, String server, Duration limit) throws InterruptedException {
        Follower f = followers.get(region);
        long deadline = ticker.getAsLong() + limit.toNanos();
        while (true) {
            f.round();
            if (f.confirmed().filter(server::equals).isPresent()) {
                return true;
            }
            if (ticker.getAsLong() > deadline) {
                return false;
            }
            Thread.sleep(Math.max(10, config.followInterval().toMillis() / 4));
        }
    }

    /** Closes a replaced data source after the drain time. */
    private void retire(DataSource old) {
        if (!(old instanceof AutoCloseable closeable)) {
            return;
        }
        Runnable close = () -> {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.warn("region-router failover: closing a retired pool failed: {}", e.toString());
            }
        };
        try {
            threads.sampler().schedule(close, config.drainTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            close.run();
        }
    }

    @Override
    public void close() {
        followers.values().forEach(Follower::close);
    }
}
