package io.regionrouter.redis;

import io.regionrouter.core.Region;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What one repair pass did. Immutable.
 *
 * @param keysScanned keys read by SCAN, over every region scanned (a key held by three regions counts
 *     up to three times)
 * @param keysRepaired per region, the keys written to it because it held an older version or none
 * @param regionsSkipped regions that were DOWN or failed during the pass: keys they hold were not
 *     compared, and they were not repaired; the pass is then incomplete and is run again
 * @param took how long the pass took
 */
public record RepairReport(long keysScanned, Map<Region, Long> keysRepaired, List<Region> regionsSkipped,
        Duration took) {

    /** Copies the collections. */
    public RepairReport {
        keysRepaired = Map.copyOf(keysRepaired);
        regionsSkipped = List.copyOf(regionsSkipped);
    }

    /** Returns whether every region took part, so that every key was compared everywhere it lives. */
    public boolean complete() {
        return regionsSkipped.isEmpty();
    }

    /** Returns the keys written, over every region. */
    public long totalRepaired() {
        return keysRepaired.values().stream().mapToLong(Long::longValue).sum();
    }
}
