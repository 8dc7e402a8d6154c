package io.regionrouter.core;

/**
 * A snapshot of a {@link CachingRegionDirectory}'s counters since it was built.
 *
 * @param hitCount lookups answered from the cache (including cached unknown users)
 * @param missCount lookups that had to load from the delegate
 * @param loadSuccessCount loads (and refreshes) that returned an answer
 * @param loadFailureCount loads (and refreshes) that threw
 * @param evictionCount entries removed for size or expiry
 * @param negativeCount lookups that answered "unknown user"
 * @param estimatedSize approximate number of cached entries now
 */
public record DirectoryStats(long hitCount, long missCount, long loadSuccessCount, long loadFailureCount,
        long evictionCount, long negativeCount, long estimatedSize) {

    /** Returns the number of lookups. */
    public long requestCount() {
        return hitCount + missCount;
    }

    /** Returns hits divided by lookups, or 1.0 when there were none. */
    public double hitRate() {
        long requests = requestCount();
        return requests == 0 ? 1.0 : (double) hitCount / requests;
    }
}
