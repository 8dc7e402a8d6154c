package io.regionrouter.jdbc.failover;

/**
 * Counts of the failover manager's probes of one primary.
 *
 * @param successes probes that succeeded
 * @param failures probes that failed or timed out
 */
public record ProbeStats(long successes, long failures) {

    /** Failures divided by all probes; 0 before the first probe. */
    public double failureRatio() {
        long total = successes + failures;
        return total == 0 ? 0 : (double) failures / total;
    }
}
