package io.regionrouter.redis;

import io.regionrouter.core.OutcomeUnknownException;
import io.regionrouter.core.Region;
import java.util.List;
import java.util.Map;

/**
 * A write did not meet its {@link AckPolicy}, and in some regions it <em>may have been applied</em>:
 * the write was sent there and then timed out or lost its link, or it had no answer yet when
 * {@link RegionalRedisConfig#operationTimeout()} ran out, and no stored hint covers it.
 * {@link #unknownRegions()} names those regions; a reader there may see the new value, or the old
 * one. Retrying the same write is safe in so far as a newer version always wins; read back first if
 * the old value must be kept.
 *
 * <p>It carries the same detail as {@link WriteNotAcknowledgedException}: the regions that did not
 * acknowledge with their causes, and those whose hint is stored (they will get the write by replay)
 * or not. A region whose hint append had not finished when the call was answered is in neither
 * list. {@link #region()} is the first region whose outcome is unknown.
 */
public class WriteOutcomeUnknownException extends OutcomeUnknownException {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final AckPolicy ack;
    private final Version version;
    private final List<Region> unknownRegions;
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
     * @param unknown the regions whose outcome is unknown, in target order; not empty
     * @param failures every region that did not acknowledge, with the reason, in target order
     * @param hinted the failed regions whose hint is stored
     * @param unhinted the failed regions whose hint could not be stored, or that were not hinted
     * @throws IllegalArgumentException if {@code unknown} is empty
     */
    public WriteOutcomeUnknownException(String key, AckPolicy ack, Version version, List<Region> unknown,
            Map<Region, Throwable> failures, List<Region> hinted, List<Region> unhinted) {
        this(key, ack, version, unknown, failures, hinted, unhinted, Map.of());
    }

    /**
     * Creates the exception with the reasons why hints were not stored.
     *
     * @param key the key
     * @param ack the policy that was asked for
     * @param version the version of the write
     * @param unknown the regions whose outcome is unknown, in target order; not empty
     * @param failures every region that did not acknowledge, with the reason, in target order
     * @param hinted the failed regions whose hint is stored
     * @param unhinted the failed regions whose hint could not be stored, or that were not hinted
     * @param hintFailures for unhinted regions whose hint append failed or was refused, why
     * @throws IllegalArgumentException if {@code unknown} is empty
     */
    public WriteOutcomeUnknownException(String key, AckPolicy ack, Version version, List<Region> unknown,
            Map<Region, Throwable> failures, List<Region> hinted, List<Region> unhinted,
            Map<Region, Throwable> hintFailures) {
        super(message(key, ack, unknown, failures, hinted, unhinted, hintFailures), firstCause(unknown, failures),
                null, first(unknown));
        this.key = key;
        this.ack = ack;
        this.version = version;
        this.unknownRegions = List.copyOf(unknown);
        this.failedRegions = List.copyOf(failures.keySet());
        this.hintedRegions = List.copyOf(hinted);
        this.unhintedRegions = List.copyOf(unhinted);
        this.hintFailures = Map.copyOf(hintFailures);
    }

    private static Region first(List<Region> unknown) {
        if (unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown regions must not be empty");
        }
        return unknown.get(0);
    }

    private static Throwable firstCause(List<Region> unknown, Map<Region, Throwable> failures) {
        return unknown.isEmpty() ? null : failures.get(unknown.get(0));
    }

    private static String message(String key, AckPolicy ack, List<Region> unknown, Map<Region, Throwable> failures,
            List<Region> hinted, List<Region> unhinted, Map<Region, Throwable> hintFailures) {
        StringBuilder sb = new StringBuilder()
                .append("write of key \"").append(key).append("\" with ack ").append(ack)
                .append(" failed in regions ").append(failures.keySet())
                .append(" (").append(WriteFailureMessages.reasons(failures)).append(")")
                .append("; outcome UNKNOWN in ").append(unknown)
                .append(": the write may have been applied there");
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

    /** Returns the version of the write; a read that returns it saw this write. */
    public Version version() {
        return version;
    }

    /** Returns the regions where the write may or may not have been applied, in target order. */
    public List<Region> unknownRegions() {
        return unknownRegions;
    }

    /** Returns every region that did not acknowledge, in target order (the unknown ones included). */
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
