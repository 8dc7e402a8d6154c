package io.regionrouter.redis;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionRouterException;
import java.util.List;
import java.util.Map;

/**
 * A write did not meet its {@link AckPolicy}, or a region missed it and its hint could not be
 * stored. The message names the failed regions and says, for each, whether the write is kept in
 * the hint log (it will be replayed when the region is UP again) or not.
 *
 * <p>What each failed region holds is known: a hinted region will get the write by replay, an
 * unhinted one did not apply it. When a region's outcome is not known (the write was sent and
 * then timed out or lost its link, and no hint covers it), the write fails with
 * {@link WriteOutcomeUnknownException} instead. The write may still have been applied in the
 * regions that acknowledged: fan-out is not transactional. {@link #region()} is the first failed
 * region; {@link #getCause()} the first failure.
 */
public class WriteNotAcknowledgedException extends RegionRouterException {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final AckPolicy ack;
    private final Version version;
    private final List<Region> failedRegions;
    private final List<Region> hintedRegions;
    private final List<Region> unhintedRegions;
    private final Map<Region, Throwable> hintFailures;

    /**
     * Creates the exception.
     *
     * @param key the key
     * @param ack the policy that was asked for
     * @param version the version of the write
     * @param failures the regions that did not acknowledge, with the reason, in target order
     * @param hinted the failed regions whose hint is stored
     * @param unhinted the failed regions whose hint could not be stored, or that rejected the write
     */
    public WriteNotAcknowledgedException(String key, AckPolicy ack, Version version, Map<Region, Throwable> failures,
            List<Region> hinted, List<Region> unhinted) {
        this(key, ack, version, failures, hinted, unhinted, Map.of());
    }

    /**
     * Creates the exception with the reasons why hints were not stored.
     *
     * @param key the key
     * @param ack the policy that was asked for
     * @param version the version of the write
     * @param failures the regions that did not acknowledge, with the reason, in target order
     * @param hinted the failed regions whose hint is stored
     * @param unhinted the failed regions whose hint could not be stored, or that rejected the write
     * @param hintFailures for unhinted regions whose hint append failed or was refused, why
     */
    public WriteNotAcknowledgedException(String key, AckPolicy ack, Version version, Map<Region, Throwable> failures,
            List<Region> hinted, List<Region> unhinted, Map<Region, Throwable> hintFailures) {
        super(message(key, ack, failures, hinted, unhinted, hintFailures),
                failures.values().stream().findFirst().orElse(null),
                null, failures.keySet().stream().findFirst().orElse(null));
        this.key = key;
        this.ack = ack;
        this.version = version;
        this.failedRegions = List.copyOf(failures.keySet());
        this.hintedRegions = List.copyOf(hinted);
        this.unhintedRegions = List.copyOf(unhinted);
        this.hintFailures = Map.copyOf(hintFailures);
    }

    private static String message(String key, AckPolicy ack, Map<Region, Throwable> failures, List<Region> hinted,
            List<Region> unhinted, Map<Region, Throwable> hintFailures) {
        StringBuilder sb = new StringBuilder()
                .append("write of key \"").append(key).append("\" with ack ").append(ack)
                .append(" failed in regions ").append(failures.keySet())
                .append(" (").append(WriteFailureMessages.reasons(failures)).append(")");
        WriteFailureMessages.appendHints(sb, hinted, unhinted, hintFailures);
        return sb.toString();
    }

    /** Returns the key. */
    public String key() {
        return key;
    }

    /** Returns the policy that was asked for. */
    public AckPolicy ack() {
        return ack;
    }

    /** Returns the version of the write. */
    public Version version() {
        return version;
    }

    /** Returns the regions that did not acknowledge, in target order. */
    public List<Region> failedRegions() {
        return failedRegions;
    }

    /** Returns the failed regions whose hint is stored for replay. */
    public List<Region> hintedRegions() {
        return hintedRegions;
    }

    /** Returns the failed regions that will not get this write by replay. */
    public List<Region> unhintedRegions() {
        return unhintedRegions;
    }

    /**
     * Returns why the hint of an unhinted region was not stored, where an attempt was made: a
     * {@link HintLogFullException} when the log had reached {@link RegionalRedisConfig#hintLogMaxBytes()},
     * or the failure of the append. A region that was not hinted by design (an error retrying cannot
     * fix, a key the local region may not hold) has no entry.
     */
    public Map<Region, Throwable> hintFailures() {
        return hintFailures;
    }
}
