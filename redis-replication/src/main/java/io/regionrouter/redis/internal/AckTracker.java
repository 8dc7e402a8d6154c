package io.regionrouter.redis.internal;

import io.regionrouter.core.Region;
import io.regionrouter.redis.AckPolicy;
import io.regionrouter.redis.Version;
import io.regionrouter.redis.WriteNotAcknowledgedException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Decides when one fan-out write is complete. Each target region resolves exactly once: it acked,
 * or it failed and then its hint was stored or not. The result completes successfully as soon as
 * the policy is met, unless a failed region's write was already known to be lost; it completes
 * exceptionally once every region has resolved without the policy being met (or with a lost
 * write). Thread-safe.
 */
public final class AckTracker {

    private final String key;
    private final AckPolicy policy;
    private final Version version;
    private final List<Region> targets;
    private final int required;
    private final CompletableFuture<Version> result = new CompletableFuture<>();
    private final Map<Region, Throwable> failures = new LinkedHashMap<>();
    private final List<Region> hinted = new ArrayList<>();
    private final List<Region> unhinted = new ArrayList<>();
    private int acks;
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
        this.key = key;
        this.policy = policy;
        this.version = version;
        this.targets = List.copyOf(targets);
        this.required = policy.required(targets.size());
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
            acks++;
            resolved++;
            if (region.equals(targets.get(0))) {
                firstAcked = true;
            }
            succeed = policyMet() && unhinted.isEmpty();
        }
        if (succeed) {
            result.complete(version);
        }
        maybeFail();
    }

    /** Records that a region did not acknowledge; it resolves later through {@link #hintOutcome}. */
    public synchronized void failed(Region region, Throwable cause) {
        failures.put(region, cause);
    }

    /** Records whether the hint of a failed region was stored. */
    public void hintOutcome(Region region, boolean stored) {
        synchronized (this) {
            (stored ? hinted : unhinted).add(region);
            resolved++;
        }
        maybeFail();
    }

    private boolean policyMet() {
        return policy == AckPolicy.LOCAL ? firstAcked : acks >= required;
    }

    private void maybeFail() {
        WriteNotAcknowledgedException failure = null;
        synchronized (this) {
            if (resolved == targets.size() && !result.isDone() && (!policyMet() || !unhinted.isEmpty())) {
                failure = new WriteNotAcknowledgedException(key, policy, version, orderedFailures(), hinted, unhinted);
            } else if (resolved == targets.size() && !result.isDone()) {
                result.complete(version);
            }
        }
        if (failure != null) {
            result.completeExceptionally(failure);
        }
    }

    private Map<Region, Throwable> orderedFailures() {
        Map<Region, Throwable> ordered = new LinkedHashMap<>();
        for (Region r : targets) {
            if (failures.containsKey(r)) {
                ordered.put(r, failures.get(r));
            }
        }
        return ordered;
    }
}
