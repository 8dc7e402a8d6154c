package io.regionrouter.redis.internal;

import io.regionrouter.core.support.EventDispatcher;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.netty.util.Timeout;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionUnavailableException;
import io.regionrouter.redis.AckPolicy;
import io.regionrouter.redis.HintLogFullException;
import io.regionrouter.redis.HintLogUnavailableException;
import io.regionrouter.redis.HintLostEvent;
import io.regionrouter.redis.HintOverflowEvent;
import io.regionrouter.redis.HintQueuedEvent;
import io.regionrouter.redis.Version;
import io.regionrouter.redis.WriteResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one versioned write to all its target regions at once and feeds an {@link AckTracker}.
 * A region whose store is DOWN is not tried; a region that fails to acknowledge, for a reason that a
 * later attempt can overcome, gets the write appended to the hint log. A region that answered with
 * an error retrying cannot fix (a key holding a foreign value, a script error) is not hinted. The
 * result completes within the operation timeout, whatever the regions do.
 *
 * <p>The hint log lives in the local region's Redis and holds the whole value, so it may only keep
 * writes that the local region may hold. For a REGULATED key whose residency rules exclude the
 * local region, a missed region is never hinted: residency wins over hinted handoff. Such a write
 * waits for every target (ack {@code ALL}), so a miss always reaches the caller as a
 * {@link io.regionrouter.redis.WriteNotAcknowledgedException} naming the regions that did not get
 * it, and is never lost silently.
 *
 * <p>A hint that would take the log past its byte bound is not appended: the region is reported
 * unhinted with a {@link HintLogFullException}, counted as lost and published. Regions that are DOWN
 * are recorded as failed before any region is sent the write, and the caller is not answered before
 * their hints are stored or refused, so even an ack {@code LOCAL} write learns that a region
 * missed it for good. Thread-safe.
 */
public final class WriteCoordinator {

    private static final Logger LOG = LoggerFactory.getLogger(WriteCoordinator.class);

    private final Region local;
    private final Map<Region, RegionConnection> connections;
    private final RedisHealth health;
    private final HintLog hints;
    private final Hlc hlc;
    private final Stats stats;
    private final EventDispatcher listeners;
    private final Deadlines deadlines;
    private final Duration operationTimeout;
    /** Per target region: hints refused since its log was last seen accepting; 0 while it accepts. */
    private final Map<Region, AtomicLong> refusedWhileFull;
    private final RepairRequests repairs;
    private final HintTraces traces;
    private final long maxOffsetMillis;
    private final byte[] maxOffsetArg;
    private final BatchShipper shipper;
    /** Per region, what a batched region's part of a write is until its queue append answers. */
    private final Map<Region, QueuedForBatch> queuedForBatch;

    /**
     * Creates the coordinator.
     *
     * @param deadlines end writes that ran out of time
     * @param operationTimeout the bound of one write, hint appends included
     * @param traces the router's registry, where each write and its regions are observed, and the
     *     hinted parts that replays link to
     * @param shipper says which regions are batched, and is told how much their queue holds
     */
    public WriteCoordinator(Region local, Map<Region, RegionConnection> connections, RedisHealth health,
            HintLog hints, Hlc hlc, Stats stats, EventDispatcher listeners, Deadlines deadlines,
            Duration operationTimeout, RepairRequests repairs, Duration maxClockOffset, HintTraces traces,
            BatchShipper shipper) {
        this.traces = traces;
        this.shipper = shipper;
        this.repairs = repairs;
        this.maxOffsetMillis = maxClockOffset.toMillis();
        this.maxOffsetArg = Long.toString(maxOffsetMillis).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        this.local = local;
        this.connections = connections;
        this.health = health;
        this.hints = hints;
        this.hlc = hlc;
        this.stats = stats;
        this.listeners = listeners;
        this.deadlines = deadlines;
        this.operationTimeout = operationTimeout;
        Map<Region, AtomicLong> refused = new HashMap<>();
        connections.keySet().forEach(r -> refused.put(r, new AtomicLong()));
        this.refusedWhileFull = Map.copyOf(refused);
        Map<Region, QueuedForBatch> queuedMarks = new HashMap<>();
        connections.keySet().forEach(r -> queuedMarks.put(r, new QueuedForBatch(r)));
        this.queuedForBatch = Map.copyOf(queuedMarks);
    }

    /**
     * Why a batched region did not acknowledge a write: it gets it through its queue. The same for
     * every write, so made once per region, without a stack trace or suppressed exceptions (nothing
     * can be added to it); a write pays for no exception it will not throw.
     */
    static final class QueuedForBatch extends RuntimeException {

        private static final long serialVersionUID = 1L;

        QueuedForBatch(Region region) {
            super("region " + region + " is batched; the write is queued for its next batch", null, false, false);
        }
    }

    /**
     * Writes an envelope.
     *
     * @param keyText the key, for messages and events
     * @param key the key bytes
     * @param envelope the write
     * @param rawLength the value size before compression
     * @param targets the target regions in preference order
     * @param policy the ack policy
     * @return completes with the version when the policy is met, and within the operation timeout
     */
    public CompletableFuture<WriteResult> write(String keyText, byte[] key, Envelope envelope, int rawLength,
            List<Region> targets, AckPolicy policy) {
        boolean hintable = targets.contains(local);
        if (hintable && !health.isUp(local)) {
            return CompletableFuture.failedFuture(new HintLogUnavailableException(keyText, local, health.store()));
        }
        AckPolicy effective = hintable ? policy : AckPolicy.ALL;
        // a batched region gets the write through the hint log, which lives in the local Redis: only a
        // write the local region may hold can be batched; any other is sent at once (residency wins)
        List<Region> queued = hintable ? batched(targets) : List.of();
        AckTracker tracker = new AckTracker(keyText, effective, envelope.version(), targets, queued);
        WriteObservation observed = WriteObservation.start(traces, keyText, envelope.version(), targets, policy);
        if (observed != WriteObservation.NONE) {
            tracker.result().whenComplete((v, e) -> observed.finished(e));
        }
        AtomicReference<Version> newer = new AtomicReference<>();
        Timeout deadline;
        try {
            deadline = deadlines.after(operationTimeout, () -> tracker.expire(operationTimeout));
        } catch (RejectedExecutionException closing) {
            return CompletableFuture.failedFuture(new IllegalStateException("RegionalRedis in region " + local
                    + " is closing; write of key \"" + keyText + "\" not sent", closing));
        }
        tracker.result().whenComplete((v, e) -> deadline.cancel());
        byte[][] args = withMaxOffset(EnvelopeCodec.scriptArgs(envelope));
        // regions that are DOWN are recorded as failed before anything is sent, so that no ack can
        // answer the caller before their hints are stored or refused
        for (Region region : queued) {
            tracker.failed(region, queuedForBatch.get(region), false);
        }
        List<Region> down = new ArrayList<>();
        for (Region region : targets) {
            if (!queued.contains(region) && !health.isUp(region)) {
                down.add(region);
                stats.of(region).failed.increment();
                tracker.failed(region, new RegionUnavailableException("region " + region + " is DOWN; not tried",
                        List.of(region)), false);
            }
        }
        List<Region> live = new ArrayList<>(targets);
        live.removeAll(down);
        live.removeAll(queued);
        // on a standalone local Redis the local write and its batch-queue appends are one script call:
        // the caller waits for it, so a batched write costs it what an immediate one does
        boolean together = !queued.isEmpty() && live.contains(local)
                && connections.get(local) instanceof StandaloneRegionConnection;
        Write write = new Write(keyText, key, args, rawLength, envelope, tracker, hintable, newer, observed);
        if (effective == AckPolicy.LOCAL && live.size() > 1 && live.contains(local)) {
            // the caller waits for the local answer only; the remote writes take tens of milliseconds
            // anyway, so they are sent once it is in and acknowledged, which keeps their encoding and
            // I/O off its path
            Runnable remotes = () -> live.stream().filter(r -> !r.equals(local)).forEach(r -> send(r, write, null));
            if (together) {
                applyAndQueue(queued, write, remotes);
            } else {
                send(local, write, remotes);
            }
        } else {
            for (Region region : live) {
                if (together && region.equals(local)) {
                    applyAndQueue(queued, write, null);
                } else {
                    send(region, write, null);
                }
            }
        }
        for (Region region : down) {
            hint(region, tracker, keyText, key, envelope, hintable, observed);
        }
        if (!together) {
            for (Region region : queued) {
                hints.append(region, key, envelope).whenComplete((appended, error) ->
                        queuedResult(region, tracker, keyText, envelope, observed, appended, error));
            }
        }
        return tracker.result().thenApply(v -> new WriteResult(v, Optional.ofNullable(newer.get())));
    }

    /** One write on its way: what every region's part needs to send it and to settle its answer. */
    private record Write(String keyText, byte[] key, byte[][] args, int rawLength, Envelope envelope,
            AckTracker tracker, boolean hintable, AtomicReference<Version> newer, WriteObservation observed) {
    }

    /**
     * Applies the write locally and queues it for its batched regions in one call, then settles the
     * local part and each batched region's part; then runs {@code next}, if any, whatever the answer.
     * A local refusal (an error reply) queued nothing: the batched regions are told so, and nothing is
     * counted lost, for the caller learns that the write was refused.
     */
    private void applyAndQueue(List<Region> queued, Write w, Runnable next) {
        whenAnswered(local, hints.applyAndQueue(queued, w.key(), w.args()), w, queued, (done, error) -> {
            onReply(local, done == null ? null : done.applied(), error, w);
            for (int i = 0; i < queued.size(); i++) {
                Region region = queued.get(i);
                if (error == null) {
                    queuedResult(region, w.tracker(), w.keyText(), w.envelope(), w.observed(), done.queued().get(i), null);
                } else if (Failures.unwrap(error) instanceof RedisCommandExecutionException refusal) {
                    Throwable cause = Scripts.translate(refusal, w.keyText(), local);
                    w.tracker().hintOutcome(region, false, cause);
                    w.observed().region(region, "not-queued", cause);
                } else {
                    queuedResult(region, w.tracker(), w.keyText(), w.envelope(), w.observed(), null, error);
                }
            }
        }, next);
    }

    /**
     * Sends the write to one region and settles that region's part when it answers; then runs
     * {@code next}, if any, whatever the answer.
     */
    private void send(Region region, Write w, Runnable next) {
        CompletableFuture<List<Object>> sent;
        try {
            sent = ScriptRunner.run(connections.get(region).async(), Scripts.APPLY_SHA, Scripts.APPLY,
                    ScriptOutputType.MULTI, new byte[][] {w.key()}, w.args());
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        whenAnswered(region, sent, w, List.of(), (reply, error) -> onReply(region, reply, error, w), next);
    }

    /**
     * Counts the write as sent to a region and settles its part, and those of {@code alsoSettled}, once
     * the call answers; then runs {@code next}, if any, whatever happened. A bug while settling fails
     * those parts rather than leaving them open until the write's deadline.
     */
    private <T> void whenAnswered(Region region, CompletableFuture<T> sent, Write w, List<Region> alsoSettled,
            BiConsumer<T, Throwable> settle, Runnable next) {
        stats.of(region).sent(w.rawLength(), w.envelope().data().length);
        sent.whenComplete((reply, error) -> {
            WriteObservation.RegionScope scope = w.observed().openScope(region);
            try {
                settle.accept(reply, error);
            } catch (RuntimeException bug) {
                LOG.error("[redis {}] handling the reply of region {} to the write of key \"{}\" failed", local,
                        region, w.keyText(), bug);
                w.tracker().failed(region, bug, true);
                w.tracker().hintOutcome(region, false);
                alsoSettled.forEach(other -> w.tracker().hintOutcome(other, false, bug));
                w.observed().region(region, "failed", bug);
            } finally {
                scope.close();
                if (next != null) {
                    next.run();
                }
            }
        });
    }

    /** Adds the maximum clock offset, so every region refuses a live write from a clock far ahead. */
    private byte[][] withMaxOffset(byte[][] args) {
        byte[][] out = java.util.Arrays.copyOf(args, args.length + 1);
        out[args.length] = maxOffsetArg;
        return out;
    }

    private void onReply(Region region, List<Object> reply, Throwable error, Write w) {
        AckTracker tracker = w.tracker();
        String keyText = w.keyText();
        Envelope envelope = w.envelope();
        WriteObservation observed = w.observed();
        AtomicReference<Version> newer = w.newer();
        if (error == null) {
            health.success(region);
            // before the ack, so the result the ack may complete already knows it
            Version stored = observeStored(reply);
            if (stored != null && stored.compareTo(envelope.version()) > 0) {
                newer.accumulateAndGet(stored, (a, b) -> a == null || b.compareTo(a) > 0 ? b : a);
            }
            stats.of(region).acked.increment();
            tracker.acked(region);
            observed.region(region, "acked", null);
            return;
        }
        Throwable cause = Scripts.translate(Failures.unwrap(error), keyText, region);
        FailureKind kind = health.failure(region, cause);
        stats.of(region).failed.increment();
        if (!kind.retryable()) {
            tracker.failed(region, cause, false);
            tracker.hintOutcome(region, false);
            observed.region(region, "failed", cause);
            return;
        }
        miss(region, cause, kind.mayHaveRun(), tracker, keyText, w.key(), envelope, w.hintable(), observed);
    }

    /** Returns the newer version a region already held (the write was superseded there), or null. */
    private Version observeStored(List<Object> reply) {
        if (reply != null && reply.size() >= 3 && reply.get(0) instanceof Long code && code == 0
                && reply.get(1) instanceof byte[] v && reply.get(2) instanceof byte[] w) {
            Version stored = new Version(EnvelopeCodec.parseHex(EnvelopeCodec.text(v)), EnvelopeCodec.text(w));
            if (!hlc.observe(stored.timestamp())) {
                LOG.warn("[redis {}] a region holds version {}, further ahead of this clock than redis.maxClockOffset "
                        + "({} ms): not observed; check the clocks of the writers and servers", local, stored,
                        maxOffsetMillis);
            }
            return stored;
        }
        return null;
    }

    private void miss(Region region, Throwable cause, boolean mayHaveRun, AckTracker tracker, String keyText,
            byte[] key, Envelope envelope, boolean hintable, WriteObservation observed) {
        tracker.failed(region, cause, mayHaveRun);
        hint(region, tracker, keyText, key, envelope, hintable, observed);
    }

    /** Returns the batched regions among the targets, never the local one; usually empty. */
    private List<Region> batched(List<Region> targets) {
        List<Region> out = null;
        for (Region r : targets) {
            if (!r.equals(local) && shipper.batched(r)) {
                if (out == null) {
                    out = new ArrayList<>(targets.size());
                }
                out.add(r);
            }
        }
        return out == null ? List.of() : out;
    }

    /**
     * Settles a batched region's part once the write's queue append answered; the caller is answered
     * only then. A refused or failed append is handled as for a missed region's hint.
     */
    private void queuedResult(Region region, AckTracker tracker, String keyText, Envelope envelope,
            WriteObservation observed, HintLog.Appended appended, Throwable error) {
        if (error == null && appended.appended()) {
            health.success(local);
            accepting(region);
            stats.of(region).hintsQueued.increment();
            if (appended.dropped() > 0) {
                stats.of(region).hintsDropped.add(appended.dropped());
                LOG.warn("[redis {}] batch queue for region {} is full; dropped {} oldest writes", local, region,
                        appended.dropped());
                listeners.publish(new HintOverflowEvent(region, appended.dropped()));
                repairs.request(region, "its batch queue overflowed");
            }
            tracker.hintOutcome(region, true);
            observed.region(region, "queued", null);
            shipper.queued(region, appended.usedBytes());
            return;
        }
        // refused (full) or failed: the same accounting as a hint that could not be kept
        hintResult(region, tracker, keyText, envelope, appended, error, observed);
    }

    /** Keeps the write of a region that missed it in the hint log, or says why it cannot. */
    private void hint(Region region, AckTracker tracker, String keyText, byte[] key, Envelope envelope,
            boolean hintable, WriteObservation observed) {
        if (!hintable) {
            LOG.debug("[redis {}] write of key \"{}\" missed region {}; not hinted because region {} may not hold it",
                    local, keyText, region, local);
            tracker.hintOutcome(region, false);
            observed.region(region, "not-hinted", null);
            return;
        }
        hints.append(region, key, envelope).whenComplete((appended, error) -> {
            WriteObservation.RegionScope scope = observed.openScope(region);
            try {
                hintResult(region, tracker, keyText, envelope, appended, error, observed);
            } finally {
                scope.close();
            }
        });
    }

    /** Settles a region's part once its hint append answered: stored, refused (the log is full) or failed. */
    private void hintResult(Region region, AckTracker tracker, String keyText, Envelope envelope,
            HintLog.Appended appended, Throwable error, WriteObservation observed) {
        if (error == null && !appended.appended()) {
            health.success(local);
            refused(region, tracker, keyText, envelope, appended);
            observed.region(region, "not-hinted", null);
            return;
        }
        if (error == null) {
            health.success(local);
            accepting(region);
            long dropped = appended.dropped();
            stats.of(region).hintsQueued.increment();
            LOG.debug("[redis {}] region {} missed a write; hint queued", local, region);
            listeners.publish(new HintQueuedEvent(region, keyText, envelope.version()));
            if (dropped > 0) {
                stats.of(region).hintsDropped.add(dropped);
                LOG.warn("[redis {}] hint log for region {} is full; dropped {} oldest hints", local, region,
                        dropped);
                listeners.publish(new HintOverflowEvent(region, dropped));
                repairs.request(region, "its hint log overflowed");
            }
            tracker.hintOutcome(region, true);
            observed.region(region, "hinted", null);
            return;
        }
        Throwable hintFailure = Failures.unwrap(error);
        observed.region(region, "not-hinted", hintFailure);
        health.failure(local, hintFailure);
        stats.of(region).hintsLost.increment();
        boolean answered = tracker.answered();
        tracker.hintOutcome(region, false, hintFailure);
        if (answered) {
            LOG.error("[redis {}] write of key \"{}\" version {} missed region {} and could not be stored in "
                    + "the hint log: it is LOST for that region", local, keyText, envelope.version(), region,
                    hintFailure);
        }
        listeners.publish(new HintLostEvent(region, keyText, envelope.version(), hintFailure));
        if (answered) {
            repairs.request(region, "a write it missed could not be hinted");
        }
    }

    /**
     * The hint would have taken the log past its byte bound and was not appended: the region misses
     * the write. Counted as lost, published, and reported to the caller through the tracker; logged at
     * ERROR when the log turns full (and when a caller had already been answered), at DEBUG while it
     * stays full, so an outage under load cannot flood the log.
     */
    private void refused(Region region, AckTracker tracker, String keyText, Envelope envelope,
            HintLog.Appended appended) {
        HintLogFullException full = new HintLogFullException(region, local, appended.usedBytes(),
                appended.hintBytes(), hints.maxBytes());
        stats.of(region).hintsLost.increment();
        long refusedSoFar = refusedWhileFull.get(region).incrementAndGet();
        boolean answered = tracker.answered();
        tracker.hintOutcome(region, false, full);
        if (refusedSoFar == 1) {
            LOG.error("[redis {}] hint log for region {} is full ({} of {} bytes): writes that {} misses are NOT "
                    + "kept until replay drains it; each fails with WriteNotAcknowledgedException, is counted in "
                    + "hintsLost and published as a HintLostEvent", local, region, appended.usedBytes(),
                    hints.maxBytes(), region);
        }
        if (answered) {
            LOG.error("[redis {}] write of key \"{}\" version {} missed region {} and the hint log for it is full: "
                    + "it is LOST for that region", local, keyText, envelope.version(), region);
        } else if (refusedSoFar > 1) {
            LOG.debug("[redis {}] hint for key \"{}\" refused: {}", local, keyText, full.getMessage());
        }
        listeners.publish(new HintLostEvent(region, keyText, envelope.version(), full));
    }

    /** A hint was appended: if the log had been full, say that it accepts hints again. */
    private void accepting(Region region) {
        AtomicLong refused = refusedWhileFull.get(region);
        if (refused.get() == 0) {
            return;
        }
        long count = refused.getAndSet(0);
        if (count > 0) {
            LOG.warn("[redis {}] hint log for region {} accepts hints again; {} writes that {} missed were not kept "
                    + "while it was full, resync those keys", local, region, count, region);
        }
    }
}
