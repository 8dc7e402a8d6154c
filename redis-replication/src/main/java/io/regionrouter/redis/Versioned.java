package io.regionrouter.redis;

import io.regionrouter.core.Region;
import java.util.Objects;

/**
 * A value together with the version that wrote it, and the region that served the read.
 *
 * @param value the value
 * @param version its version
 * @param expireAtMillis the absolute expiry instant in epoch milliseconds, or 0 if it never expires
 * @param servedBy the region whose Redis answered
 * @param <V> the value type
 */
public record Versioned<V>(V value, Version version, long expireAtMillis, Region servedBy) {

    /** Validates the fields. */
    public Versioned {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(servedBy, "servedBy");
    }
}
