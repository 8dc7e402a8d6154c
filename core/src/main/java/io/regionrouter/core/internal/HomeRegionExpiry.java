package io.regionrouter.core.internal;

import java.time.Duration;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Expiry;

import io.regionrouter.core.Region;

/**
 * Gives known users the long lifetime and unknown users (empty values) the short negative
 * lifetime, both measured from the last load. Reads do not extend an entry's life. Stateless
 * apart from its two durations; thread-safe.
 */
public final class HomeRegionExpiry implements Expiry<String, Optional<Region>> {

    private final long positiveNanos;
    private final long negativeNanos;

    /**
     * Creates the expiry.
     *
     * @param positive lifetime of a known user's entry
     * @param negative lifetime of an unknown user's entry
     */
    public HomeRegionExpiry(Duration positive, Duration negative) {
        this.positiveNanos = saturatedNanos(positive);
        this.negativeNanos = saturatedNanos(negative);
    }

    @Override
    public long expireAfterCreate(String key, Optional<Region> value, long currentTime) {
        return value.isPresent() ? positiveNanos : negativeNanos;
    }

    @Override
    public long expireAfterUpdate(String key, Optional<Region> value, long currentTime, long currentDuration) {
        return expireAfterCreate(key, value, currentTime);
    }

    @Override
    public long expireAfterRead(String key, Optional<Region> value, long currentTime, long currentDuration) {
        return currentDuration;
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
