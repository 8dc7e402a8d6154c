package io.regionrouter.redis.internal;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionRouterException;
import io.regionrouter.redis.AckPolicy;
import io.regionrouter.redis.Version;
import io.regionrouter.redis.WriteNotAcknowledgedException;
import io.regionrouter.redis.WriteOutcomeUnknownException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * Decides when one fan-out write is complete. Each target region resolves exactly once: it acked,
 * or it failed and then its hint was stored or not. The result completes successfully as soon as
 * the policy is met and every region that has failed so far has its hint stored: a region known to
 * have missed the write (one that is DOWN is known before anything is sent) holds the answer back
 * until its hint append answers, so a hint that is refused (the log is full) or lost reaches the
 * caller instead of a log line. It completes exceptionally once every region has resolved without
 * the policy being met (or with a lost write), or when {@link #expire} is called first.
 *
 * <p>A failure is a {@link WriteNotAcknowledgedException} when what every failed region holds is
 * known, and a {@link WriteOutcomeUnknownException} when some region may have applied the write
 * without a stored hint to cover it: it was sent and not answered, or it was still unresolved at
 * the deadline. Thread-safe.
 */
public final class AckTracker {

    private final String key;
    private final AckPolicy policy;
    private final Version version;
    private final List<Region> targets;
    private final int required;
    private final List<Region> queued;
    private final CompletableFuture<Version> result = new CompletableFuture<>();
    private final Set<Region> acked = new HashSet<>();
    private final Map<Region, Throwable> failures = new LinkedHashMap<>();
    private final Set<Region> mayHaveRun = new HashSet<>();
    private final List<Region> hinted = new ArrayList<>();
    private final List<Region> unhinted = new ArrayList<>();
    private final Map<Region, Throwable> hintFailures = new LinkedHashMap<>();
    private boolean firstAcked;
    private int resolved;

    /**
     * Creates a tracker.
     *
     * @param key the key, for messages
     * @param policy the ack policy
     * @param version the version of the write
     * @param targets the target regions in preference order (the first one is "local" for LOCAL)
     */
    public AckTracker(String key, AckPolicy policy, Version version, List<Region> targets) {
        this(key, policy, version, targets, List.of());
    }

    /**
     * Creates a tracker for a write of which some regions are batched: those are not sent the write
     * but have it queued in the hint log. They never acknowledge, so the policy counts the other
     * regions only; each of them resolves through {@link #failed} and {@link #hintOutcome} like a missed
     * region, and the caller is answered only once its queue append is stored (or refused).
     *
     * @param queued the batched regions, a subset of {@code targets} that excludes the first one
     */
    public AckTracker(String key, AckPolicy policy, Version version, List<Region> targets, List<Region> queued) {
        this.key = key;
        this.policy = policy;
        this.version = version;
        this.targets = List.copyOf(targets);
        this.queued = List.copyOf(queued);
        this.required = policy.required(targets.size() - queued.size());
    }

    /** Returns the result. */
    public CompletableFuture<Version> result() {
        return result;
    }

    /** Returns whether the caller has already been answered. */
    public boolean answered() {
        return result.isDone();
    }

    /** Records an acknowledgement. */
    public void acked(Region region) {
        boolean succeed;
        synchronized (this) {
            acked.add(region);
            resolved++;
            if (region.equals(targets.get(0))) {
                firstAcked = true;
            }
            succeed = canSucceed();
        }
        if (succeed) {
            result.complete(version);
        }
        maybeFinish();
    }

    /**
     * Records that a region did not acknowledge; it resolves later through {@link #hintOutcome}.
     *
     * @param region the region
     * @param cause why
     * @param mayHaveRun whether the write was sent and may have been applied there (no answer)
     */
    public synchronized void failed(Region region, Throwable cause, boolean mayHaveRun) {
        failures.put(region, cause);
        if (mayHaveRun) {
            this.mayHaveRun.add(region);
        }
    }

    /** Records whether the hint of a failed region was stored. */
    public void hintOutcome(Region region, boolean stored) {
        hintOutcome(region, stored, null);
    }

    /**
     * Records whether the hint of a failed region was stored.
     *
     * @param why for a hint that was not stored although an append was tried, the failure or refusal;
     *     null otherwise
     */
    public void hintOutcome(Region region, boolean stored, Throwable why) {
        boolean succeed;
        synchronized (this) {
            (stored ? hinted : unhinted).add(region);
            if (!stored && why != null) {
                hintFailures.put(region, why);
            }
            resolved++;
            succeed = canSucceed();
        }
        if (succeed) {
            result.complete(version);
        }
        maybeFinish();
    }

    /**
     * Fails the write now if it is still open: the regions not resolved yet are reported as unknown.
     *
     * @param bound the operation timeout that ran out, for the message
     */
    public void expire(Duration bound) {
        RegionRouterException failure;
        synchronized (this) {
            if (result.isDone()) {
                return;
            }
            failure = failure(bound);
        }
        result.completeExceptionally(failure);
    }

    /** Policy met, no hint lost and no failed region still waiting for its hint; call with the lock held. */
    private boolean canSucceed() {
        return policyMet() && unhinted.isEmpty() && failures.size() == hinted.size() + unhinted.size();
    }

    private boolean policyMet() {
        return policy == AckPolicy.LOCAL ? firstAcked : acked.size() >= required;
    }

    private void maybeFinish() {
        RegionRouterException failure = null;
        synchronized (this) {
            if (resolved < targets.size() || result.isDone()) {
                return;
            }
            if (!policyMet() || !unhinted.isEmpty()) {
                failure = failure(null);
            }
        }
        if (failure != null) {
            result.completeExceptionally(failure);
        } else {
            result.complete(version);
        }
    }

    /** Builds the failure; call with the lock held. {@code bound} is null unless the deadline ran out. */
    private RegionRouterException failure(Duration bound) {
        Map<Region, Throwable> ordered = new LinkedHashMap<>();
        List<Region> unknown = new ArrayList<>();
        for (Region r : targets) {
            if (acked.contains(r) || (queued.contains(r) && hinted.contains(r))) {
                continue; // a batched region whose queue holds the write has it
            }
            Throwable cause = failures.get(r);
            ordered.put(r, cause != null ? cause
                    : new TimeoutException("no answer within the operation timeout " + bound));
            boolean hintStored = hinted.contains(r);
            boolean hintSettled = hintStored || unhinted.contains(r);
            if (cause == null || !hintSettled || (mayHaveRun.contains(r) && !hintStored)) {
                unknown.add(r);
            }
        }
        if (unknown.isEmpty()) {
            return new WriteNotAcknowledgedException(key, policy, version, ordered, hinted, unhinted, hintFailures);
        }
        return new WriteOutcomeUnknownException(key, policy, version, unknown, ordered, hinted, unhinted,
                hintFailures);
    }
}
