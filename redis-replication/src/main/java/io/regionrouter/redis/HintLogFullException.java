package io.regionrouter.redis;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionRouterException;

/**
 * A hint was not appended because it would have taken a target region's hint log past
 * {@link RegionalRedisConfig#hintLogMaxBytes()}. The write it held does not reach the region by
 * replay. It is never thrown by itself: it is the hint failure of a region in
 * {@link WriteNotAcknowledgedException#hintFailures()} (or of {@link WriteOutcomeUnknownException}),
 * and the cause of a {@link HintLostEvent} when the caller had already been answered. The log
 * accepts hints again as soon as replay has drained enough of it. {@link #region()} is the target.
 */
public class HintLogFullException extends RegionRouterException {

    private static final long serialVersionUID = 1L;

    private final long usedBytes;
    private final long hintBytes;
    private final long maxBytes;

    /**
     * Creates the exception.
     *
     * @param target the region whose hint log is full
     * @param local the local region, which holds the log
     * @param usedBytes the bytes the log held
     * @param hintBytes the bytes the refused hint counts
     * @param maxBytes the bound
     */
    public HintLogFullException(Region target, Region local, long usedBytes, long hintBytes, long maxBytes) {
        super("hint log for region " + target + " in local region " + local + " is full: it holds " + usedBytes
                + " bytes and a hint of " + hintBytes + " bytes would pass redis.hintLogMaxBytes (" + maxBytes
                + "); the write is not kept for " + target, null, null, target);
        this.usedBytes = usedBytes;
        this.hintBytes = hintBytes;
        this.maxBytes = maxBytes;
    }

    /** Returns the bytes the log held when the hint was refused. */
    public long usedBytes() {
        return usedBytes;
    }

    /** Returns the bytes the refused hint counts. */
    public long hintBytes() {
        return hintBytes;
    }

    /** Returns the bound, {@link RegionalRedisConfig#hintLogMaxBytes()}. */
    public long maxBytes() {
        return maxBytes;
    }
}
