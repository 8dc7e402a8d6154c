package io.regionrouter.redis;

import io.regionrouter.core.Region;

/**
 * Counters of one target region since the {@link RegionalRedis} started. A snapshot; immutable.
 *
 * <p>Byte counts cover value payloads sent to the region by live writes and by replays:
 * {@code rawBytes} before compression, {@code sentBytes} as sent. For a
 * {@linkplain ReplicationMode#batched batched} region, writes are queued in the hint log
 * ({@code hintsQueued}) and shipped in batches ({@code hintsReplayed}); {@code rawBytes} counts the
 * keys and values a batch carried and {@code sentBytes} the compressed batch. The transfer cost estimate is
 * {@code sentBytes / 10^9 * pricePerGb} for regions other than the local one, and zero for the
 * local region.
 *
 * @param region the target region
 * @param writesAcked writes the region acknowledged (applied or already superseded)
 * @param writesFailed writes the region did not acknowledge (not tried when DOWN, timed out, failed)
 * @param hintsQueued writes appended to the region's hint log
 * @param hintsReplayed hints replayed to the region
 * @param hintsDropped hints dropped because the hint log was full (overflow)
 * @param hintsLost writes the region missed for good: not kept in the hint log, or kept and then lost
 *     with it, rejected by the region, or unreadable
 * @param hintsAbandoned hints that were queued and will never be replayed: lost with their log (a
 *     Redis restarted without persistence), rejected by the region, unreadable, or older than
 *     {@link RegionalRedisConfig#maxHintAge()}; once the log is drained, {@code hintsQueued = hintsReplayed
 *     + hintsDropped + hintsAbandoned} over every instance of the region
 * @param rawBytes value bytes before compression
 * @param sentBytes value bytes as sent
 * @param crossRegion whether the region is not the local one
 * @param estimatedTransferCost estimated cost of the bytes sent, in the currency of the price
 */
public record RegionStats(Region region, long writesAcked, long writesFailed, long hintsQueued,
        long hintsReplayed, long hintsDropped, long hintsLost, long hintsAbandoned, long rawBytes, long sentBytes,
        boolean crossRegion, double estimatedTransferCost) {

    /** Returns the bytes that compression saved, {@code rawBytes - sentBytes}. */
    public long savedBytes() {
        return rawBytes - sentBytes;
    }
}
