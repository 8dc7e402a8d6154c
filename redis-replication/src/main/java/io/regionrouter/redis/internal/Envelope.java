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
 * @param tombstoneExpireAtMillis until when the version is kept after {@code expireAtMillis}, so that a
 *     late older write is refused; 0 when {@code expireAtMillis} is 0
 * @param regions the ids of the regions the write was sent to, comma-separated, or empty when unknown
 *     (written before the field existed); the repair copies a key only to these regions
 */
public record Envelope(Version version, int flags, byte[] data, long expireAtMillis, long tombstoneExpireAtMillis,
        String regions) {

    /** The write is a delete. */
    public static final int TOMBSTONE = 1;
    /** The data is raw-deflate compressed. */
    public static final int DEFLATED = 2;

    /** Creates an envelope whose target regions are unknown. */
    public Envelope(Version version, int flags, byte[] data, long expireAtMillis, long tombstoneExpireAtMillis) {
        this(version, flags, data, expireAtMillis, tombstoneExpireAtMillis, "");
    }

    /** Validates the fields. */
    public Envelope {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(regions, "regions");
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

    /** Returns whether the write has expired at {@code nowMillis}: it then reads as absent. */
    public boolean expiredAt(long nowMillis) {
        return expireAtMillis != 0 && expireAtMillis <= nowMillis;
    }

    /** Returns whether the data is compressed. */
    public boolean deflated() {
        return (flags & DEFLATED) != 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Envelope e && version.equals(e.version) && flags == e.flags
                && java.util.Arrays.equals(data, e.data) && expireAtMillis == e.expireAtMillis
                && tombstoneExpireAtMillis == e.tombstoneExpireAtMillis && regions.equals(e.regions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, flags, java.util.Arrays.hashCode(data), expireAtMillis, tombstoneExpireAtMillis,
                regions);
    }

    @Override
    public String toString() {
        return "Envelope[version=" + version + ", flags=" + flags + ", bytes=" + data.length
                + ", expireAt=" + expireAtMillis + "]";
    }
}
