package io.regionrouter.redis;

/**
 * How many target regions must acknowledge a write before it completes.
 *
 * <p>A region acknowledges a write when its Redis ran the version check, whether the write was
 * applied or was already superseded by a newer one. The target regions of a key are ordered by
 * preference: the local region first (if the key may live there), then by proximity.
 */
public enum AckPolicy {

    /** The first target region (the local region when it is a target) has acknowledged. */
    LOCAL,

    /** A strict majority of the target regions has acknowledged: {@code n / 2 + 1}. */
    QUORUM,

    /** Every target region has acknowledged. */
    ALL;

    /**
     * Returns how many acknowledgements this policy needs for a write to {@code targets} regions.
     * For {@link #LOCAL} that is one, and it must come from the first target.
     *
     * @param targets the number of target regions, at least one
     * @return the number of acknowledgements required, between 1 and {@code targets}
     * @throws IllegalArgumentException if {@code targets < 1}
     */
    public int required(int targets) {
        if (targets < 1) {
            throw new IllegalArgumentException("targets must be >= 1, but was " + targets);
        }
        return switch (this) {
            case LOCAL -> 1;
            case QUORUM -> targets / 2 + 1;
            case ALL -> targets;
        };
    }
}
