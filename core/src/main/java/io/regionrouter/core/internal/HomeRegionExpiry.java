package io.regionrouter.core.internal;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Expiry;


/**
 * Gives known users the long lifetime and unknown users (value without a region) the short negative
 * lifetime, both measured from the last load. Reads do not extend an entry's life. Stateless
 * apart from its two durations; thread-safe.
 */
public final class HomeRegionExpiry implements Expiry<String, CachedHome> {

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
    public long expireAfterCreate(String key, CachedHome value, long currentTime) {
        return value.known() ? positiveNanos : negativeNanos;
    }

    @Override
    public long expireAfterUpdate(String key, CachedHome value, long currentTime, long currentDuration) {
        return expireAfterCreate(key, value, currentTime);
    }

    @Override
    public long expireAfterRead(String key, CachedHome value, long currentTime, long currentDuration) {
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
