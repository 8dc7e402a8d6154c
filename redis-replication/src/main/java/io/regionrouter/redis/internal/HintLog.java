package io.regionrouter.redis.internal;

import io.lettuce.core.Consumer;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.regionrouter.core.Region;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The durable hint log: per target region, one Redis Stream per application instance,
 * {@code <prefix>hints:{<region>}:log:<instance>}, in the local region's Redis, with two bounds.
 * Past the maximum length an instance's oldest hints are dropped and counted in
 * {@code <prefix>hints:{<region>}:overflow}. The bytes of every instance's hints for a target are
 * counted in {@code <prefix>hints:{<region>}:bytes}, and a hint that would pass the maximum bytes is
 * not appended at all: an outage can then never fill the local Redis, and the write that missed the
 * region is reported instead of being kept. Both counters change only inside the scripts that append
 * and remove hints.
 *
 * <p>Each instance appends to and drains its own stream, so it knows exactly how many of its hints
 * are in the log: its ledger ({@link #checkLost}) finds hints that vanished with their stream (a Redis
 * restarted without AOF, a stream deleted) and counts them to the hint. An instance holds a lease on
 * its streams, renewed with every append and every replay round; the stream of an instance whose lease
 * ran out (it stopped) is drained by the others. Every stream has one consumer group, so a hint is
 * replayed by one instance, and hints that an instance read but never acknowledged are taken over after
 * an idle time. Thread-safe.
 */
public final class HintLog {

    private final RegionConnection local;
    private final String prefix;
    private final long maxLength;
    private final long maxBytes;
    private final byte[] group;
    private final String instance;
    private final Consumer<byte[]> consumer;
    private final long leaseMillis;
    /** Per target region: this instance's hints the log holds, by this instance's own count. */
    private final Map<Region, AtomicLong> ledger = new ConcurrentHashMap<>();
    /** Per target region: the keys and the stream prefix of its queue part, encoded once. */
    private final Map<Region, byte[][]> queueKeys = new ConcurrentHashMap<>();
    /** The arguments of every append that do not change: maximum length, maximum bytes, instance, lease. */
    private final byte[][] appendBounds;

    /**
     * Creates the log.
     *
     * @param local the local region's connection, which stores the log
     * @param prefix key prefix
     * @param maxLength maximum hints per target region and instance
     * @param maxBytes maximum bytes per target region
     * @param instanceId this instance's name: its stream and its consumer
     * @param lease how long this instance's streams stay its own without a renewal
     */
    public HintLog(RegionConnection local, String prefix, long maxLength, long maxBytes, String instanceId,
            Duration lease) {
        this.local = local;
        this.prefix = prefix;
        this.maxLength = maxLength;
        this.maxBytes = maxBytes;
        this.group = bytes(prefix + "replayers");
        this.instance = instanceId;
        this.consumer = Consumer.from(group, bytes(instanceId));
        this.leaseMillis = Math.max(1, lease.toMillis());
        this.appendBounds = new byte[][] {bytes(Long.toString(maxLength)), bytes(Long.toString(maxBytes)),
            bytes(instanceId), bytes(Long.toString(leaseMillis))};
    }

    /** Returns this instance's name. */
    public String instance() {
        return instance;
    }

    /** Returns the stream key of a target region without the instance name. */
    public String streamPrefix(Region target) {
        return prefix + "hints:{" + target.id() + "}:log:";
    }

    /** Returns the stream key of an instance's hints for a target region. */
    public byte[] streamKey(Region target, String owner) {
        return bytes(streamPrefix(target) + owner);
    }

    /** Returns this instance's stream key for a target region. */
    public byte[] streamKey(Region target) {
        return streamKey(target, instance);
    }

    /** Returns the overflow counter key of a target region. */
    public byte[] overflowKey(Region target) {
        return bytes(prefix + "hints:{" + target.id() + "}:overflow");
    }

    /** Returns the byte counter key of a target region. */
    public byte[] bytesKey(Region target) {
        return bytes(prefix + "hints:{" + target.id() + "}:bytes");
    }

    /** Returns the key of the set of instances with a stream for a target region. */
    public byte[] ownersKey(Region target) {
        return bytes(prefix + "hints:{" + target.id() + "}:owners");
    }

    /** Returns the lease key of an instance's stream for a target region. */
    public byte[] leaseKey(Region target, String owner) {
        return bytes(prefix + "hints:{" + target.id() + "}:lease:" + owner);
    }

    /** Returns the key counting an instance's hints for a target that other instances removed. */
    public byte[] takenKey(Region target, String owner) {
        return bytes(prefix + "hints:{" + target.id() + "}:taken:" + owner);
    }

    private AtomicLong ledger(Region target) {
        return ledger.computeIfAbsent(target, t -> new AtomicLong());
    }

    /** Returns this instance's count of its hints for a target that the log should hold. */
    public long ledgerCount(Region target) {
        return ledger(target).get();
    }

    /** Returns the bound of the bytes per target region. */
    public long maxBytes() {
        return maxBytes;
    }

    /**
     * What an append did.
     *
     * @param appended whether the hint was stored; false when it would have passed the byte bound
     * @param dropped how many old hints were dropped to stay within the maximum length
     * @param usedBytes the bytes the log holds after the append (before it, if not appended)
     * @param hintBytes the bytes the hint counts
     */
    public record Appended(boolean appended, long dropped, long usedBytes, long hintBytes) {
    }

    /** Appends a hint, unless it would take the log past its byte bound. */
    public CompletableFuture<Appended> append(Region target, byte[] key, Envelope envelope) {
        Map<byte[], byte[]> body = EnvelopeCodec.toHint(key, envelope);
        byte[][] queue = queueKeys.computeIfAbsent(target, this::encodeQueueKeys);
        byte[][] args = new byte[appendBounds.length + 1 + body.size() * 2][];
        System.arraycopy(appendBounds, 0, args, 0, appendBounds.length);
        int i = appendBounds.length;
        args[i++] = queue[5];
        for (Map.Entry<byte[], byte[]> field : body.entrySet()) {
            args[i++] = field.getKey();
            args[i++] = field.getValue();
        }
        try {
            return ScriptRunner.<List<Object>>run(local.async(), Scripts.APPEND_HINT_SHA, Scripts.APPEND_HINT,
                            ScriptOutputType.MULTI, Arrays.copyOf(queue, 5), args)
                    .thenApply(reply -> {
                        Appended a = appended(reply);
                        if (a.appended()) {
                            ledger(target).addAndGet(1 - a.dropped());
                        }
                        return a;
                    });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** What {@link #applyAndQueue} did: the local write's reply, as {@link Scripts#APPLY} gives it, and each append. */
    public record AppliedAndQueued(List<Object> applied, List<Appended> queued) {
    }

    /**
     * Applies a write in the local region and appends it to the logs of its batched targets, in one
     * script call ({@link ApplyAndQueueScript}); only for a standalone local Redis. Each target's part
     * is kept or refused on its own, as by {@link #append}. When the local write is refused, the call
     * fails with that error reply and nothing was queued.
     *
     * @param applyArgs the arguments of {@link Scripts#APPLY}, maximum clock offset included
     * @return the local reply and one append result per target, in order
     */
    public CompletableFuture<AppliedAndQueued> applyAndQueue(List<Region> targets, byte[] key, byte[][] applyArgs) {
        int n = targets.size();
        byte[][] args = new byte[applyArgs.length + appendBounds.length + 1 + n][];
        System.arraycopy(applyArgs, 0, args, 0, applyArgs.length);
        int a = applyArgs.length;
        System.arraycopy(appendBounds, 0, args, a, appendBounds.length);
        a += appendBounds.length;
        args[a] = bytes(Integer.toString(n));
        byte[][] keys = new byte[1 + 5 * n][];
        keys[0] = key;
        for (int t = 0; t < n; t++) {
            byte[][] queue = queueKeys.computeIfAbsent(targets.get(t), this::encodeQueueKeys);
            System.arraycopy(queue, 0, keys, 1 + 5 * t, 5);
            args[a + 1 + t] = queue[5];
        }
        try {
            return ScriptRunner.<List<Object>>run(local.async(), ApplyAndQueueScript.SHA, ApplyAndQueueScript.SCRIPT,
                            ScriptOutputType.MULTI, keys, args)
                    .thenApply(reply -> {
                        if (reply == null || reply.size() != n + 1 || !(reply.get(0) instanceof List<?>)) {
                            throw new IllegalStateException("unexpected reply of the apply-and-queue script: " + reply);
                        }
                        List<Appended> queued = new ArrayList<>(n);
                        for (int t = 0; t < n; t++) {
                            @SuppressWarnings("unchecked")
                            Appended appended = appended((List<Object>) reply.get(t + 1));
                            if (appended.appended()) {
                                ledger(targets.get(t)).addAndGet(1 - appended.dropped());
                            }
                            queued.add(appended);
                        }
                        @SuppressWarnings("unchecked")
                        List<Object> applied = (List<Object>) reply.get(0);
                        return new AppliedAndQueued(applied, queued);
                    });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The five keys of a target's queue part in the order of {@link Scripts#APPEND_HINT}, then its stream prefix. */
    private byte[][] encodeQueueKeys(Region target) {
        return new byte[][] {streamKey(target), overflowKey(target), bytesKey(target), ownersKey(target),
            leaseKey(target, instance), bytes(streamPrefix(target))};
    }

    private static Appended appended(List<Object> reply) {
        if (reply == null || reply.size() != 3 || !(reply.get(0) instanceof Long first)
                || !(reply.get(1) instanceof Long used) || !(reply.get(2) instanceof Long cost)) {
            throw new IllegalStateException("unexpected reply of the hint append script: " + reply);
        }
        return first < 0 ? new Appended(false, 0, used, cost) : new Appended(true, first, used, cost);
    }

    /**
     * Creates the consumer group of an instance's stream if missing. The stream itself is never
     * created here: an instance that never missed a write leaves no key behind.
     *
     * @return completes with false when there is no stream (nothing to replay), else true
     */
    public CompletableFuture<Boolean> ensureGroup(Region target, String owner) {
        RedisClusterAsyncCommands<byte[], byte[]> c = local.async();
        return c.xgroupCreate(XReadArgs.StreamOffset.from(streamKey(target, owner), "0"), group)
                .toCompletableFuture()
                .handle((ok, e) -> {
                    if (e == null || Failures.unwrap(e) instanceof RedisBusyException
                            || String.valueOf(Failures.unwrap(e).getMessage()).startsWith("BUSYGROUP")) {
                        return true;
                    }
                    if (String.valueOf(Failures.unwrap(e).getMessage()).contains("requires the key to exist")) {
                        return false;
                    }
                    throw new IllegalStateException("cannot create hint consumer group for " + target,
                            Failures.unwrap(e));
                });
    }

    /**
     * Reads the next batch for this instance: first hints it read earlier but did not acknowledge,
     * then new ones.
     */
    public CompletableFuture<List<EnvelopeCodec.Hint>> read(Region target, String owner, int count) {
        RedisClusterAsyncCommands<byte[], byte[]> c = local.async();
        byte[] key = streamKey(target, owner);
        return readOffset(c, XReadArgs.StreamOffset.from(key, "0"), count).thenCompose(pending -> pending.isEmpty()
                ? readOffset(c, XReadArgs.StreamOffset.lastConsumed(key), count)
                : CompletableFuture.completedFuture(pending));
    }

    @SuppressWarnings("unchecked")
    private CompletableFuture<List<EnvelopeCodec.Hint>> readOffset(RedisClusterAsyncCommands<byte[], byte[]> c,
            XReadArgs.StreamOffset<byte[]> offset, int count) {
        return c.xreadgroup(consumer, XReadArgs.Builder.count(count), offset).toCompletableFuture()
                .thenApply(HintLog::decode);
    }

    /** Takes over hints that other instances read but did not acknowledge for longer than {@code idle}. */
    public CompletableFuture<Integer> claimStale(Region target, String owner, Duration idle, int count) {
        RedisClusterAsyncCommands<byte[], byte[]> c = local.async();
        XAutoClaimArgs<byte[]> args = XAutoClaimArgs.Builder.xautoclaim(consumer, idle, "0-0").count(count);
        return c.xautoclaim(streamKey(target, owner), args).toCompletableFuture()
                .thenApply(claimed -> claimed.getMessages().size());
    }

    /**
     * Acknowledges and deletes replayed hints of an instance's stream, and takes their bytes off the
     * byte counter. Hints removed from this instance's own stream come off its ledger.
     *
     * @return completes with the number of hints deleted
     */
    public CompletableFuture<Long> remove(Region target, String owner, List<EnvelopeCodec.Hint> done) {
        if (done.isEmpty()) {
            return CompletableFuture.completedFuture(0L);
        }
        byte[][] args = new byte[3 + done.size() * 2][];
        args[0] = group;
        args[1] = bytes(owner);
        args[2] = bytes(instance);
        for (int i = 0; i < done.size(); i++) {
            args[3 + 2 * i] = bytes(done.get(i).id());
            args[4 + 2 * i] = bytes(Long.toString(done.get(i).cost()));
        }
        try {
            return ScriptRunner.<Long>run(local.async(), Scripts.REMOVE_HINTS_SHA, Scripts.REMOVE_HINTS,
                    ScriptOutputType.INTEGER, new byte[][] {streamKey(target, owner), bytesKey(target),
                        ownersKey(target), leaseKey(target, owner), takenKey(target, owner)}, args)
                    .thenApply(deleted -> {
                        if (owner.equals(instance)) {
                            ledger(target).addAndGet(-deleted);
                        }
                        return deleted;
                    });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Returns the number of hints waiting for a region, over every instance's stream. */
    public CompletableFuture<Long> length(Region target) {
        try {
            return ScriptRunner.<Long>run(local.async(), Scripts.PENDING_HINTS_SHA, Scripts.PENDING_HINTS,
                    ScriptOutputType.INTEGER, new byte[][] {ownersKey(target)}, bytes(streamPrefix(target)));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Returns the instances with a stream for a target, this one included if it has one. */
    public CompletableFuture<List<String>> owners(Region target) {
        return local.async().smembers(ownersKey(target)).toCompletableFuture().thenApply(members -> {
            List<String> out = new ArrayList<>(members.size());
            members.forEach(m -> out.add(new String(m, StandardCharsets.UTF_8)));
            return out;
        });
    }

    /** Returns whether an instance still holds the lease on its stream for a target. */
    public CompletableFuture<Boolean> leased(Region target, String owner) {
        return local.async().exists(leaseKey(target, owner)).toCompletableFuture().thenApply(n -> n != null && n > 0);
    }

    /** Renews this instance's lease on its stream for a target. */
    public CompletableFuture<Void> renewLease(Region target) {
        return local.async().set(leaseKey(target, instance), bytes("1"), SetArgs.Builder.px(leaseMillis))
                .toCompletableFuture().thenApply(ok -> null);
    }

    /** Gives up this instance's lease, so that the others drain its hints without waiting. */
    public CompletableFuture<Void> releaseLease(Region target) {
        return local.async().del(leaseKey(target, instance)).toCompletableFuture().thenApply(n -> null);
    }

    /** Forgets a stopped instance's stream if it is empty; completes with whether it did. */
    public CompletableFuture<Boolean> retire(Region target, String owner) {
        try {
            return ScriptRunner.<Long>run(local.async(), Scripts.RETIRE_STREAM_SHA, Scripts.RETIRE_STREAM,
                    ScriptOutputType.INTEGER, new byte[][] {streamKey(target, owner), ownersKey(target),
                        leaseKey(target, owner)}, bytes(owner)).thenApply(n -> n == 1L);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Compares this instance's ledger with what its stream for a target holds, and takes the
     * difference off the ledger: those hints vanished with their stream. The comparison is exact
     * because this instance alone appends to and drains its stream, and the ledger is read on the
     * connection's own thread as the length's reply arrives: every append sent before the length was
     * read has already been counted then, and none sent after it. When the reply arrives before the
     * comparison could be attached, no verdict is given ({@code -1}), to try again next round.
     *
     * @return completes with the number of hints lost, 0 when none, or -1 when undecided
     */
    public CompletableFuture<Long> checkLost(Region target) {
        Thread caller = Thread.currentThread();
        AtomicLong count = ledger(target);
        CompletableFuture<List<Object>> read;
        try {
            read = ScriptRunner.run(local.async(), Scripts.CHECK_LEDGER_SHA, Scripts.CHECK_LEDGER,
                    ScriptOutputType.MULTI, new byte[][] {streamKey(target), takenKey(target, instance)});
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return read.thenApply(reply -> {
            long len = (Long) reply.get(0);
            long taken = (Long) reply.get(1);
            // others drained some of this instance's hints (its lease had run out): replayed, not lost
            count.addAndGet(-taken);
            if (Thread.currentThread() == caller) {
                return -1L;
            }
            long expected = count.get();
            if (len >= expected) {
                return 0L;
            }
            long lost = expected - len;
            count.addAndGet(-lost);
            return lost;
        });
    }

    /** Returns the bytes the hints waiting for a region count against the byte bound. */
    public CompletableFuture<Long> usedBytes(Region target) {
        return local.async().get(bytesKey(target)).toCompletableFuture()
                .thenApply(v -> v == null ? 0L : Long.parseLong(new String(v, StandardCharsets.US_ASCII)));
    }

    private static List<EnvelopeCodec.Hint> decode(List<StreamMessage<byte[], byte[]>> messages) {
        List<EnvelopeCodec.Hint> hints = new ArrayList<>(messages.size());
        for (StreamMessage<byte[], byte[]> m : messages) {
            Map<byte[], byte[]> body = m.getBody();
            EnvelopeCodec.Hint hint;
            try {
                hint = body == null || body.isEmpty() ? null : EnvelopeCodec.fromHint(m.getId(), body);
            } catch (RuntimeException e) {
                hint = null;
            }
            // an entry without a usable body is returned as a hint without envelope, to be acknowledged
            hints.add(hint != null ? hint
                    : new EnvelopeCodec.Hint(m.getId(), null, null, EnvelopeCodec.hintCost(body)));
        }
        return hints;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
