package io.regionrouter.redis.internal;

import io.regionrouter.core.support.EventDispatcher;
import io.lettuce.core.ScriptOutputType;
import io.regionrouter.core.Region;
import io.regionrouter.redis.HintLogLostEvent;
import io.regionrouter.redis.HintLostEvent;
import io.regionrouter.redis.HintsReplayedEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the hint log of every region whose store is UP (and only while the local store, which holds
 * the log, is UP too), in stream order, in pipelined batches. Each hint is applied with the same
 * version check as a live write, so replay is idempotent and never overwrites newer data. A hint is
 * removed from the log only after the target acknowledged it, or rejected it for good (a key that
 * holds a foreign value); if the target fails mid-batch, or answers with a passing error, the rest
 * stay pending for this instance and are read again first in the next round. One round runs at a
 * time per instance. Thread-safe.
 */
public final class HintReplayer {

    private static final Logger LOG = LoggerFactory.getLogger(HintReplayer.class);

    private final Region local;
    private final List<Region> targets;
    private final Map<Region, RegionConnection> connections;
    private final RedisHealth health;
    private final HintLog hints;
    private final Stats stats;
    private final EventDispatcher listeners;
    private final int batchSize;
    private final Duration callTimeout;
    private final Duration claimIdle;
    private final LongSupplier ticker;
    private final Set<String> groupReady = ConcurrentHashMap.newKeySet();
    private final RepairRequests repairs;
    private final LongSupplier wallMillis;
    private final long maxHintAgeMillis;
    private final ReentrantLock roundLock = new ReentrantLock();
    private final HintTraces traces;
    private volatile boolean closed;
    /** Hints the last batch took off the log, replayed or not; read and written by the round holding the lock. */
    private int removedInLastBatch;

    /**
     * Creates the replayer.
     *
     * @param ticker monotonic nanoseconds, for the time budget of {@link #round(Duration)}
     */
    public HintReplayer(Region local, List<Region> targets, Map<Region, RegionConnection> connections,
            RedisHealth health, HintLog hints, Stats stats, EventDispatcher listeners, int batchSize,
            Duration commandTimeout, Duration claimIdle, LongSupplier ticker, RepairRequests repairs,
            LongSupplier wallMillis, Duration maxHintAge, HintTraces traces) {
        this.traces = traces;
        this.repairs = repairs;
        this.wallMillis = wallMillis;
        this.maxHintAgeMillis = maxHintAge.toMillis();
        this.local = local;
        this.targets = List.copyOf(targets);
        this.connections = connections;
        this.health = health;
        this.hints = hints;
        this.stats = stats;
        this.listeners = listeners;
        this.batchSize = batchSize;
        this.callTimeout = commandTimeout.multipliedBy(2);
        this.claimIdle = claimIdle;
        this.ticker = ticker;
    }

    /** Stops future rounds; a running round ends after its current batch. */
    public void close() {
        closed = true;
    }

    /**
     * Runs one replay round over every UP region and returns the number of hints replayed. Waits
     * for a round that is already running to finish first.
     */
    public int round() {
        roundLock.lock();
        try {
            return drainAll(null);
        } finally {
            roundLock.unlock();
        }
    }

    /**
     * Runs one replay round within a time budget: waits at most the budget for a round that is
     * already running, and starts no command after it ran out. Hints left over stay in the log for
     * the next round.
     *
     * @return the number of hints this call replayed
     */
    public int round(Duration budget) {
        long deadline = ticker.getAsLong() + budget.toNanos();
        try {
            if (!roundLock.tryLock(budget.toNanos(), TimeUnit.NANOSECONDS)) {
                return 0;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
        try {
            return drainAll(deadline);
        } finally {
            roundLock.unlock();
        }
    }

    private int drainAll(Long deadline) {
        int total = 0;
        if (!health.isUp(local)) {
            return 0;
        }
        for (Region target : targets) {
            if (closed || expired(deadline)) {
                break;
            }
            keepLease(target, deadline);
            checkLedger(target, deadline);
            if (health.isUp(target)) {
                total += drain(target, hints.instance(), deadline);
                total += drainStopped(target, deadline);
            }
        }
        return total;
    }

    /** Renews this instance's lease on its stream while it holds hints, so that no other instance takes it over. */
    private void keepLease(Region target, Long deadline) {
        if (hints.ledgerCount(target) <= 0) {
            return; // nothing to take over; an append renews the lease itself
        }
        try {
            await(hints.renewLease(target), deadline);
        } catch (TimeoutException | ExecutionException | RuntimeException e) {
            LOG.debug("[redis {}] could not renew the hint lease for {}: {}", local, target, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Finds hints that vanished with their stream (a Redis restarted without AOF, a deleted stream):
     * never silent. They are logged at ERROR, counted as lost and abandoned, published, and the target
     * region is handed to the repair, which restores what the hints would have.
     */
    private void checkLedger(Region target, Long deadline) {
        long lost;
        try {
            lost = await(hints.checkLost(target), deadline);
        } catch (TimeoutException | ExecutionException | RuntimeException e) {
            LOG.debug("[redis {}] could not check the hint log for {}: {}", local, target, e.toString());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (lost <= 0) {
            return;
        }
        groupReady.remove(groupKey(target, hints.instance()));
        stats.of(target).hintsLost.add(lost);
        stats.of(target).hintsAbandoned.add(lost);
        LOG.error("[redis {}] the hint log for region {} in the local Redis LOST {} hints of this instance (the "
                + "Redis restarted without persistence, or the stream was deleted): the writes they held will not "
                + "be replayed; a repair of region {} is started", local, target, lost, target);
        listeners.publish(new HintLogLostEvent(target, local, lost));
        repairs.request(target, "its hint log lost " + lost + " hints");
    }

    /** Drains the streams of instances that stopped (their lease ran out), and forgets them once empty. */
    private int drainStopped(Region target, Long deadline) {
        int total = 0;
        try {
            for (String owner : await(hints.owners(target), deadline)) {
                if (closed || expired(deadline) || !health.isUp(target)) {
                    break;
                }
                if (owner.equals(hints.instance()) || await(hints.leased(target, owner), deadline)) {
                    continue;
                }
                total += drain(target, owner, deadline);
                if (await(hints.retire(target, owner), deadline)) {
                    groupReady.remove(groupKey(target, owner));
                    LOG.debug("[redis {}] drained the hints that stopped instance {} kept for {}", local, owner,
                            target);
                }
            }
        } catch (TimeoutException | ExecutionException | RuntimeException e) {
            LOG.debug("[redis {}] could not drain stopped instances' hints for {}: {}", local, target, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return total;
    }

    private static String groupKey(Region target, String owner) {
        return target.id() + "/" + owner;
    }

    /** Runs a round from the scheduler, logging instead of throwing. */
    public void scheduledRound() {
        try {
            round();
        } catch (RuntimeException e) {
            LOG.warn("[redis {}] hint replay round failed; will retry", local, e);
        }
    }

    private int drain(Region target, String owner, Long deadline) {
        int total = 0;
        String group = groupKey(target, owner);
        try {
            if (!groupReady.contains(group)) {
                if (!await(hints.ensureGroup(target, owner), deadline)) {
                    return 0; // no stream: nothing was ever kept, or it was lost (the ledger check counts that)
                }
                groupReady.add(group);
            }
            await(hints.claimStale(target, owner, claimIdle, batchSize), deadline);
            while (!closed && !expired(deadline)) {
                List<EnvelopeCodec.Hint> batch = await(hints.read(target, owner, batchSize), deadline);
                if (batch.isEmpty()) {
                    break;
                }
                removedInLastBatch = 0;
                total += apply(target, owner, batch, deadline);
                if (removedInLastBatch < batch.size() || batch.size() < batchSize || !health.isUp(target)) {
                    break;
                }
            }
        } catch (TimeoutException | ExecutionException | RuntimeException e) {
            Throwable cause = Failures.unwrap(e);
            if (String.valueOf(cause.getMessage()).startsWith("NOGROUP")) {
                // the stream or its group is gone: the ledger check of the next round counts what was lost
                groupReady.remove(group);
                LOG.warn("[redis {}] the hint stream of {} for region {} or its consumer group is missing ({}); "
                        + "recreating it", local, owner, target, cause.getMessage());
            } else {
                LOG.debug("[redis {}] replay to {} interrupted by failure: {}", local, target, cause.toString());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return total;
    }

    private int apply(Region target, String owner, List<EnvelopeCodec.Hint> batch, Long deadline) throws InterruptedException {
        List<CompletableFuture<Object>> sent = new ArrayList<>(batch.size());
        RegionConnection connection = connections.get(target);
        long oldest = wallMillis.getAsLong() - maxHintAgeMillis;
        int aged = 0;
        // removed from the log without reaching the target: aged, undecodable or rejected
        int abandoned = 0;
        int undecodable = 0;
        for (EnvelopeCodec.Hint hint : batch) {
            if (hint.envelope() != null && hint.envelope().version().physicalMillis() < oldest) {
                // older than the retention of the tombstones and versions that could supersede it:
                // replaying it could bring back a deleted or expired key, so the repair takes over
                aged++;
                abandoned++;
                sent.add(CompletableFuture.completedFuture(null));
                continue;
            }
            if (hint.envelope() == null) {
                // unreadable entry (corrupt, or written by an incompatible version): acknowledged so
                // it cannot block the log, but never silently
                abandoned++;
                undecodable++;
                LOG.error("[redis {}] hint {} for region {} cannot be decoded and is dropped: the write it held is "
                        + "LOST for that region", local, hint.id(), target);
                sent.add(CompletableFuture.completedFuture(null));
                continue;
            }
            CompletableFuture<Object> f;
            try {
                f = ScriptRunner.run(connection.async(), Scripts.APPLY_SHA, Scripts.APPLY, ScriptOutputType.MULTI,
                        new byte[][] {hint.key()}, EnvelopeCodec.scriptArgs(hint.envelope()));
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            int len = hint.envelope().data().length;
            stats.of(target).sent(len, len);
            sent.add(f);
        }
        if (aged > 0) {
            LOG.warn("[redis {}] {} hints for region {} are older than redis.maxHintAge ({} ms) and are not replayed;"
                    + " a repair of region {} is started", local, aged, target, maxHintAgeMillis, target);
            repairs.request(target, aged + " hints were older than the maximum hint age");
        }
        List<EnvelopeCodec.Hint> done = new ArrayList<>(batch.size());
        int rejected = 0;
        Throwable unavailable = null;
        boolean answered = false;
        for (int i = 0; i < batch.size(); i++) {
            EnvelopeCodec.Hint hint = batch.get(i);
            long wait = waitNanos(deadline);
            try {
                sent.get(i).get(wait, TimeUnit.NANOSECONDS);
                done.add(hint);
                answered = true;
                if (hint.envelope() != null) {
                    traces.replayed(target, hint.key(), hint.envelope().version(), "replayed", null);
                }
            } catch (TimeoutException e) {
                if (wait < callTimeout.toNanos()) {
                    // this call's own budget ran out, not the target's time to answer
                    break;
                }
                if (unavailable == null) {
                    unavailable = e;
                }
            } catch (ExecutionException e) {
                String key = hint.key() == null ? "?" : new String(hint.key(), StandardCharsets.UTF_8);
                Throwable cause = Scripts.translate(Failures.unwrap(e), key, target);
                FailureKind kind = Failures.classify(cause);
                answered |= kind.answered();
                if (cause instanceof io.regionrouter.core.UserFrozenException) {
                    continue; // kept: replayed after the freeze (or refused as moved away then)
                }
                if (!kind.retryable()) {
                    done.add(hint);
                    rejected++;
                    LOG.error("[redis {}] region {} rejected replayed write of key \"{}\"; hint dropped", local,
                            target, key, cause);
                    listeners.publish(new HintLostEvent(target, key, hint.envelope().version(), cause));
                    traces.replayed(target, hint.key(), hint.envelope().version(), "rejected", cause);
                } else if (kind.countsAsFailure() && unavailable == null) {
                    unavailable = cause;
                }
            }
        }
        if (answered) {
            health.success(target);
        }
        try {
            await(hints.remove(target, owner, done), deadline);
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("[redis {}] could not remove {} replayed hints for {}; they will be replayed again", local,
                    done.size(), target);
            return 0;
        }
        // counted only once removed: hints that stay in the log are read, and counted, again
        stats.of(target).hintsAbandoned.add(abandoned + rejected);
        stats.of(target).hintsLost.add(undecodable + rejected);
        removedInLastBatch = done.size();
        int replayed = done.size() - abandoned - rejected;
        stats.of(target).hintsReplayed.add(replayed);
        if (replayed > 0) {
            listeners.publish(new HintsReplayedEvent(target, replayed));
        }
        if (unavailable != null) {
            health.failure(target, unavailable);
        }
        return replayed;
    }

    private boolean expired(Long deadline) {
        return deadline != null && ticker.getAsLong() - deadline >= 0;
    }

    /** Returns how long one wait may take: the call timeout, or less when the budget is nearly spent. */
    private long waitNanos(Long deadline) {
        long call = callTimeout.toNanos();
        return deadline == null ? call : Math.max(0, Math.min(call, deadline - ticker.getAsLong()));
    }

    private <T> T await(CompletableFuture<T> future, Long deadline) throws InterruptedException,
            ExecutionException, TimeoutException {
        return future.get(waitNanos(deadline), TimeUnit.NANOSECONDS);
    }
}
