package io.regionrouter.redis.internal;

import io.regionrouter.redis.Version;
import java.util.Objects;

/**
 * What is stored under a key in every region: the version, flags, the (possibly compressed) data
 * and the absolute expiry instant. Internal; readers only see the value.
 *
 * @param version the version of the write
 * @param flags {@link #TOMBSTONE} and/or {@link #DEFLATED}
 * @param data the payload, empty for a tombstone
 * @param expireAtMillis absolute expiry in epoch ms, 0 for none; for a tombstone, when it is dropped
 * @param tombstoneExpireAtMillis when a write that arrives after {@code expireAtMillis} is dropped
 *     (it is then kept as a tombstone until this instant); 0 when {@code expireAtMillis} is 0
 */
public record Envelope(Version version, int flags, byte[] data, long expireAtMillis, long tombstoneExpireAtMillis) {

    /** The write is a delete. */
    public static final int TOMBSTONE = 1;
    /** The data is raw-deflate compressed. */
    public static final int DEFLATED = 2;

    /** Validates the fields. */
    public Envelope {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(data, "data");
        if ((flags & ~(TOMBSTONE | DEFLATED)) != 0) {
            throw new IllegalArgumentException("flags must only use bits 1 and 2, but was " + flags);
        }
        if (expireAtMillis < 0 || tombstoneExpireAtMillis < 0) {
            throw new IllegalArgumentException("expiry instants must be >= 0, but were "
                    + expireAtMillis + " and " + tombstoneExpireAtMillis);
        }
    }

    /** Returns whether this is a delete. */
    public boolean tombstone() {
        return (flags & TOMBSTONE) != 0;
    }

    /** Returns whether the data is compressed. */
    public boolean deflated() {
        return (flags & DEFLATED) != 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Envelope e && version.equals(e.version) && flags == e.flags
                && java.util.Arrays.equals(data, e.data) && expireAtMillis == e.expireAtMillis
                && tombstoneExpireAtMillis == e.tombstoneExpireAtMillis;
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, flags, java.util.Arrays.hashCode(data), expireAtMillis, tombstoneExpireAtMillis);
    }

    @Override
    public String toString() {
        return "Envelope[version=" + version + ", flags=" + flags + ", bytes=" + data.length
                + ", expireAt=" + expireAtMillis + "]";
    }
}
