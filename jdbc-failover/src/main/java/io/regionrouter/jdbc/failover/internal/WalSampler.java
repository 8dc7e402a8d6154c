package io.regionrouter.jdbc.failover.internal;

import io.regionrouter.core.Region;
import io.regionrouter.jdbc.failover.PgEndpoint;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples each live primary's WAL position and synchronous state, so that a failover after the
 * primary died can still tell how much WAL the standby had not received and whether the standby was
 * synchronous. Thread-safe.
 */
public final class WalSampler {

    private static final Logger LOG = LoggerFactory.getLogger(WalSampler.class);

    /**
     * What is known of a primary.
     *
     * @param walLsn its WAL position at the last sample
     * @param synchronous the last sample found synchronous replication configured, and some sample has
     *     seen a synchronous standby connected (a primary that is shutting down may have lost its WAL
     *     sender already, so that part is remembered)
     */
    public record Sample(long walLsn, boolean synchronous) {
    }

    private final PgAdmin admin;
    private final Map<Region, PgEndpoint> primaries = new ConcurrentHashMap<>();
    private final Map<Region, Sample> samples = new ConcurrentHashMap<>();
    private final Set<Region> syncSeen = ConcurrentHashMap.newKeySet();

    /**
     * Creates the sampler.
     *
     * @param admin runs the queries
     */
    public WalSampler(PgAdmin admin) {
        this.admin = admin;
    }

    /** Starts sampling a region's primary. */
    public void watch(Region region, PgEndpoint primary) {
        primaries.put(region, primary);
    }

    /** Stops sampling a region's primary; its last sample is kept. */
    public void stop(Region region) {
        primaries.remove(region);
    }

    /** Samples every watched primary once; an unreachable one keeps its last sample. Never throws. */
    public void sampleAll() {
        primaries.forEach((region, primary) -> {
            try {
                record(region, admin.samplePrimary(primary));
            } catch (SQLException | RuntimeException e) {
                LOG.debug("region-router failover: could not sample {} of {}: {}", primary.name(), region, e.toString());
            }
        });
    }

    /** Records a sample, also one taken elsewhere, such as at a switchover. */
    public void record(Region region, PgAdmin.PrimarySample s) {
        if (s.synchronousStandbyConnected()) {
            syncSeen.add(region);
        }
        samples.put(region, new Sample(s.walLsn(), s.synchronousConfigured() && syncSeen.contains(region)));
    }

    /** The last sample of a region's primary, or null if none succeeded. */
    public Sample last(Region region) {
        return samples.get(region);
    }
}
