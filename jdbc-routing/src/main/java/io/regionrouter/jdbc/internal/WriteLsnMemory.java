package io.regionrouter.jdbc.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;

/**
 * Remembers, per user, the WAL position after the user's last write, so that later reads can wait
 * for a replica to have replayed it. Bounded in size and time. Thread-safe.
 */
public final class WriteLsnMemory {

    private final Cache<String, Long> positions;

    /**
     * Creates the memory.
     *
     * @param capacity how many users to remember
     * @param expiry how long to remember a user's position after the write
     * @param ticker the cache's ticker
     */
    public WriteLsnMemory(long capacity, Duration expiry, Ticker ticker) {
        this.positions = Caffeine.newBuilder().maximumSize(capacity).expireAfterWrite(expiry).ticker(ticker).build();
    }

    /**
     * Records a write; keeps the later of the stored and the given position.
     *
     * @param user the user
     * @param lsn the position after the write
     */
    public void record(String user, long lsn) {
        positions.asMap().merge(user, lsn, (a, b) -> Lsn.atOrAfter(a, b) ? a : b);
    }

    /**
     * The position a replica must have replayed before it serves the user's reads.
     *
     * @param user the user
     * @return the position, or {@link Lsn#NONE} when nothing is remembered
     */
    public long required(String user) {
        Long lsn = positions.getIfPresent(user);
        return lsn == null ? Lsn.NONE : lsn;
    }
}
