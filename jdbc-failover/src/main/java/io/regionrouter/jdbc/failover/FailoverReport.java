package io.regionrouter.jdbc.failover;

import io.regionrouter.core.Region;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What one failover did and how long each part took.
 *
 * @param region the region that failed over
 * @param trigger what started it
 * @param epoch the region's epoch after the failover
 * @param from the old primary's name
 * @param to the promoted standby's name
 * @param durability the group's replication mode
 * @param completedAt when the failover finished (wall clock)
 * @param detection for {@link Trigger#DETECTED}: from the last good probe of the old primary to the
 *     confirmed failure (an upper bound of the time the failure went unnoticed); for
 *     {@link Trigger#DRILL}: from the simulated outage to its confirmation; zero for {@link Trigger#MANUAL}
 * @param promotion the time {@code pg_promote(wait => true)} and the writability check took
 * @param firstWrite from the end of the promotion to the first committed write through the region's
 *     new pool (pool start-up, swap and eviction included)
 * @param walBytesLost WAL the standby had not received when it was promoted, in bytes, never negative
 * @param walBytesLostExact true when the old primary answered during the failover (drill, manual
 *     switchover), so {@code walBytesLost} is exact; false when it was dead, so {@code walBytesLost}
 *     is a lower bound computed from the last sample of the primary's WAL position
 * @param synchronousVerified true when the group is {@link Durability#SYNCHRONOUS} and the last sample
 *     of the old primary showed a synchronous standby and a synchronous commit level, so no
 *     acknowledged write can be missing (RPO 0)
 */
public record FailoverReport(Region region, Trigger trigger, long epoch, String from, String to, Durability durability,
        Instant completedAt, Duration detection, Duration promotion, Duration firstWrite, long walBytesLost,
        boolean walBytesLostExact, boolean synchronousVerified) {

    /** Validates the fields. */
    public FailoverReport {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(completedAt, "completedAt");
        Objects.requireNonNull(detection, "detection");
        Objects.requireNonNull(promotion, "promotion");
        Objects.requireNonNull(firstWrite, "firstWrite");
        if (walBytesLost < 0) {
            throw new IllegalArgumentException("walBytesLost must be >= 0, but was " + walBytesLost);
        }
    }

    /** Detection plus promotion plus first write: the time writes were impossible, as far as the manager saw. */
    public Duration recoveryTime() {
        return detection.plus(promotion).plus(firstWrite);
    }

    /**
     * Whether no acknowledged write can have been lost: a verified synchronous standby, or an exact
     * measurement of zero bytes.
     */
    public boolean rpoZero() {
        return (durability == Durability.SYNCHRONOUS && synchronousVerified) || (walBytesLostExact && walBytesLost == 0);
    }
}
