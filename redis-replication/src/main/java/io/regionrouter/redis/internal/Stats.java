package io.regionrouter.redis.internal;

import io.regionrouter.core.Region;
import io.regionrouter.redis.RegionStats;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Per-region counters. Thread-safe; the set of regions is fixed at construction. */
public final class Stats {

    private final Region local;
    private final double pricePerGb;
    private final Map<Region, Counters> counters = new LinkedHashMap<>();

    /**
     * Creates counters for {@code regions}.
     *
     * @param regions the regions
     * @param local the local region (its traffic is not cross-region)
     * @param pricePerGb price per 10^9 bytes of cross-region transfer
     */
    public Stats(List<Region> regions, Region local, double pricePerGb) {
        this.local = local;
        this.pricePerGb = pricePerGb;
        regions.forEach(r -> counters.put(r, new Counters()));
    }

    /** Returns the counters of a region. */
    public Counters of(Region region) {
        Counters c = counters.get(region);
        if (c == null) {
            throw new IllegalArgumentException("no counters for region " + region);
        }
        return c;
    }

    /** Returns a snapshot per region, in topology order. */
    public Map<Region, RegionStats> snapshot() {
        Map<Region, RegionStats> out = new LinkedHashMap<>();
        counters.forEach((region, c) -> {
            long sent = c.sentBytes.sum();
            boolean cross = !region.equals(local);
            out.put(region, new RegionStats(region, c.acked.sum(), c.failed.sum(), c.hintsQueued.sum(),
                    c.hintsReplayed.sum(), c.hintsDropped.sum(), c.hintsLost.sum(), c.hintsAbandoned.sum(), c.rawBytes.sum(), sent, cross,
                    cross ? sent / 1e9 * pricePerGb : 0.0));
        });
        return out;
    }

    /** Counters of one region. */
    public static final class Counters {
        final LongAdder acked = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder hintsQueued = new LongAdder();
        final LongAdder hintsReplayed = new LongAdder();
        final LongAdder hintsDropped = new LongAdder();
        final LongAdder hintsLost = new LongAdder();
        final LongAdder hintsAbandoned = new LongAdder();
        final LongAdder rawBytes = new LongAdder();
        final LongAdder sentBytes = new LongAdder();

        /** Counts value bytes sent: raw and as sent. */
        public void sent(long raw, long sent) {
            rawBytes.add(raw);
            sentBytes.add(sent);
        }
    }
}
