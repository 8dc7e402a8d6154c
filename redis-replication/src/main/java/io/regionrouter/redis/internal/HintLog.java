package io.regionrouter.redis.internal;

import io.lettuce.core.Consumer;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.regionrouter.core.Region;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The durable hint log: one Redis Stream per target region, {@code <prefix>hints:{<region>}}, in
 * the local region's Redis, with two bounds. Past the maximum length the oldest hints are dropped
 * and counted in {@code <prefix>hints:{<region>}:overflow}. The bytes of its hints are counted in
 * {@code <prefix>hints:{<region>}:bytes}, and a hint that would pass the maximum bytes is not
 * appended at all: an outage can then never fill the local Redis, and the write that missed the
 * region is reported instead of being kept. Both counters change only inside the scripts that append
 * and remove hints. Readers use one consumer group shared by every application instance of the local
 * region, so each hint is replayed by one instance; hints that an instance read but never
 * acknowledged are taken over after an idle time. Thread-safe.
 */
public final class HintLog {

    private final RegionConnection local;
    private final String prefix;
    private final long maxLength;
    private final long maxBytes;
    private final byte[] group;
    private final Consumer<byte[]> consumer;

    /**
     * Creates the log.
     *
     * @param local the local region's connection, which stores the log
     * @param prefix key prefix
     * @param maxLength maximum hints per target region
     * @param maxBytes maximum bytes per target region
     * @param instanceId this instance's consumer name
     */
    public HintLog(RegionConnection local, String prefix, long maxLength, long maxBytes, String instanceId) {
        this.local = local;
        this.prefix = prefix;
        this.maxLength = maxLength;
        this.maxBytes = maxBytes;
        this.group = bytes(prefix + "replayers");
        this.consumer = Consumer.from(group, bytes(instanceId));
    }

    /** Returns the stream key of a target region. */
    public byte[] streamKey(Region target) {
        return bytes(prefix + "hints:{" + target.id() + "}");
    }

    /** Returns the overflow counter key of a target region. */
    public byte[] overflowKey(Region target) {
        return bytes(prefix + "hints:{" + target.id() + "}:overflow");
    }

    /** Returns the byte counter key of a target region. */
    public byte[] bytesKey(Region target) {
        return bytes(prefix + "hints:{" + target.id() + "}:bytes");
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
        byte[][] args = new byte[2 + body.size() * 2][];
        args[0] = bytes(Long.toString(maxLength));
        args[1] = bytes(Long.toString(maxBytes));
        int i = 2;
        for (Map.Entry<byte[], byte[]> field : body.entrySet()) {
            args[i++] = field.getKey();
            args[i++] = field.getValue();
        }
        try {
            return ScriptRunner.<List<Object>>run(local.async(), Scripts.APPEND_HINT_SHA, Scripts.APPEND_HINT,
                            ScriptOutputType.MULTI,
                            new byte[][] {streamKey(target), overflowKey(target), bytesKey(target)}, args)
                    .thenApply(HintLog::appended);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static Appended appended(List<Object> reply) {
        if (reply == null || reply.size() != 3 || !(reply.get(0) instanceof Long first)
                || !(reply.get(1) instanceof Long used) || !(reply.get(2) instanceof Long cost)) {
            throw new IllegalStateException("unexpected reply of the hint append script: " + reply);
        }
        return first < 0 ? new Appended(false, 0, used, cost) : new Appended(true, first, used, cost);
    }

    /** Creates the consumer group (and the stream) if missing. */
    public CompletableFuture<Void> ensureGroup(Region target) {
        RedisClusterAsyncCommands<byte[], byte[]> c = local.async();
        return c.xgroupCreate(XReadArgs.StreamOffset.from(streamKey(target), "0"), group,
                        XGroupCreateArgs.Builder.mkstream()).toCompletableFuture()
                .handle((ok, e) -> {
                    if (e == null || Failures.unwrap(e) instanceof RedisBusyException
                            || String.valueOf(Failures.unwrap(e).getMessage()).startsWith("BUSYGROUP")) {
                        return null;
                    }
                    throw new IllegalStateException("cannot create hint consumer group for " + target,
                            Failures.unwrap(e));
                });
    }

    /**
     * Reads the next batch for this instance: first hints it read earlier but did not acknowledge,
     * then new ones.
     */
    public CompletableFuture<List<EnvelopeCodec.Hint>> read(Region target, int count) {
        RedisClusterAsyncCommands<byte[], byte[]> c = local.async();
        byte[] key = streamKey(target);
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
    public CompletableFuture<Integer> claimStale(Region target, Duration idle, int count) {
        RedisClusterAsyncCommands<byte[], byte[]> c = local.async();
        XAutoClaimArgs<byte[]> args = XAutoClaimArgs.Builder.xautoclaim(consumer, idle, "0-0").count(count);
        return c.xautoclaim(streamKey(target), args).toCompletableFuture()
                .thenApply(claimed -> claimed.getMessages().size());
    }

    /** Acknowledges and deletes replayed hints, and takes their bytes off the byte counter. */
    public CompletableFuture<Void> remove(Region target, List<EnvelopeCodec.Hint> done) {
        if (done.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        byte[][] args = new byte[1 + done.size() * 2][];
        args[0] = group;
        for (int i = 0; i < done.size(); i++) {
            args[1 + 2 * i] = bytes(done.get(i).id());
            args[2 + 2 * i] = bytes(Long.toString(done.get(i).cost()));
        }
        try {
            return ScriptRunner.<Long>run(local.async(), Scripts.REMOVE_HINTS_SHA, Scripts.REMOVE_HINTS,
                    ScriptOutputType.INTEGER, new byte[][] {streamKey(target), bytesKey(target)}, args)
                    .thenApply(deleted -> null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Returns the number of hints waiting for a region. */
    public CompletableFuture<Long> length(Region target) {
        return local.async().xlen(streamKey(target)).toCompletableFuture();
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
