package io.regionrouter.redis;

import java.util.Objects;

/**
 * The version of a stored value: a 64-bit hybrid-logical-clock timestamp and the id of the writer
 * that made it. Versions are totally ordered: by timestamp (unsigned), then by writer id (byte
 * order). Redis applies a write only if its version is greater than the stored one.
 *
 * <p>The timestamp holds physical milliseconds since the epoch in its upper 48 bits and a logical
 * counter in its lower 16 bits. The writer id is {@code <region>/<instance>}, so the region id is
 * the first tie-breaker and the instance id makes versions from two processes in one region
 * distinct.
 *
 * @param timestamp the hybrid-logical-clock timestamp
 * @param writer the writer id
 */
public record Version(long timestamp, String writer) implements Comparable<Version> {

    /** Bits of the timestamp that hold the logical counter. */
    public static final int LOGICAL_BITS = 16;

    /** Largest logical counter value. */
    public static final int MAX_LOGICAL = (1 << LOGICAL_BITS) - 1;

    /**
     * Validates the version.
     *
     * @throws NullPointerException if writer is null
     */
    public Version {
        Objects.requireNonNull(writer, "writer");
    }

    /** Returns the physical part, in milliseconds since the epoch. */
    public long physicalMillis() {
        return timestamp >>> LOGICAL_BITS;
    }

    /** Returns the logical counter. */
    public int logical() {
        return (int) (timestamp & MAX_LOGICAL);
    }

    /**
     * Builds a timestamp from its two parts.
     *
     * @param physicalMillis milliseconds since the epoch, 0 to 2^48 - 1
     * @param logical the logical counter, 0 to {@link #MAX_LOGICAL}
     * @return the timestamp
     * @throws IllegalArgumentException if a part is out of range
     */
    public static long timestamp(long physicalMillis, int logical) {
        if (physicalMillis < 0 || physicalMillis >= (1L << (64 - LOGICAL_BITS))) {
            throw new IllegalArgumentException("physicalMillis must be in [0, 2^48), but was " + physicalMillis);
        }
        if (logical < 0 || logical > MAX_LOGICAL) {
            throw new IllegalArgumentException("logical must be in [0, " + MAX_LOGICAL + "], but was " + logical);
        }
        return (physicalMillis << LOGICAL_BITS) | logical;
    }

    @Override
    public int compareTo(Version other) {
        int c = Long.compareUnsigned(timestamp, other.timestamp);
        return c != 0 ? c : writer.compareTo(other.writer);
    }

    @Override
    public String toString() {
        return physicalMillis() + "." + logical() + "@" + writer;
    }
}
