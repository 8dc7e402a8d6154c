package io.regionrouter.jdbc.failover;

import java.util.Comparator;

/**
 * Who a region's primary is, as the servers themselves say: the cluster's system identifier (shared
 * by a primary and every streaming standby cloned from it), the WAL timeline (raised by every
 * promotion) and the failover epoch recorded on the primary by whoever promoted it through this
 * library (0 when none did).
 *
 * <p>Identities of one group are ordered by timeline, then epoch: a promotion always moves to a
 * higher timeline, and the epoch tells two servers apart that were promoted onto the same timeline
 * number from the same parent. A server whose identity is lower than one already seen is never written.
 *
 * @param systemIdentifier {@code pg_control_system().system_identifier}
 * @param timeline the timeline of the server's current WAL (a standby: the one it receives)
 * @param epoch the highest epoch in the server's {@code region_router.primary_epoch} table, or 0
 */
public record PrimaryIdentity(long systemIdentifier, int timeline, long epoch) implements Comparable<PrimaryIdentity> {

    private static final Comparator<PrimaryIdentity> ORDER =
            Comparator.comparingInt(PrimaryIdentity::timeline).thenComparingLong(PrimaryIdentity::epoch);

    /** Validates the fields. */
    public PrimaryIdentity {
        if (timeline < 1) {
            throw new IllegalArgumentException("identity.timeline must be >= 1, but was " + timeline);
        }
        if (epoch < 0) {
            throw new IllegalArgumentException("identity.epoch must be >= 0, but was " + epoch);
        }
    }

    /** Orders by timeline, then epoch; the system identifier is not compared. */
    @Override
    public int compareTo(PrimaryIdentity other) {
        return ORDER.compare(this, other);
    }

    /** Whether this identity is strictly newer than another (null counts as oldest). */
    public boolean isNewerThan(PrimaryIdentity other) {
        return other == null || compareTo(other) > 0;
    }

    @Override
    public String toString() {
        return "(system " + Long.toUnsignedString(systemIdentifier) + ", timeline " + timeline + ", epoch " + epoch + ")";
    }
}
