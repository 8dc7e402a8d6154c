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
 * the local region's Redis, bounded to a maximum length (older hints are dropped and counted in
 * {@code <prefix>hints:{<region>}:overflow}). Readers use one consumer group shared by every
 * application instance of the local region, so each hint is replayed by one instance; hints that an
 * instance read but never acknowledged are taken over after an idle time. Thread-safe.
 */
public final class HintLog {

    private final RegionConnection local;
    private final String prefix;
    private final long maxLength;
    private final byte[] group;
    private final Consumer<byte[]> consumer;

    /**
     * Creates the log.
     *
     * @param local the local region's connection, which stores the log
     * @param prefix key prefix
     * @param maxLength maximum hints per target region
     * @param instanceId this instance's consumer name
     */
    public HintLog(RegionConnection local, String prefix, long maxLength, String instanceId) {
        this.local = local;
        this.prefix = prefix;
        this.maxLength = maxLength;
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

    /**
     * Appends a hint.
     *
     * @return the number of old hints dropped to stay within the bound
     */
    public CompletableFuture<Long> append(Region target, byte[] key, Envelope envelope) {
        Map<byte[], byte[]> body = EnvelopeCodec.toHint(key, envelope);
        byte[][] args = new byte[1 + body.size() * 2][];
        args[0] = bytes(Long.toString(maxLength));
        int i = 1;
        for (Map.Entry<byte[], byte[]> field : body.entrySet()) {
            args[i++] = field.getKey();
            args[i++] = field.getValue();
        }
        try {
            return ScriptRunner.run(local.async(), Scripts.APPEND_HINT_SHA, Scripts.APPEND_HINT,
                    ScriptOutputType.INTEGER, new byte[][] {streamKey(target), overflowKey(target)}, args);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
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

    /** Acknowledges and deletes replayed hints. */
    public CompletableFuture<Void> remove(Region target, List<String> ids) {
        if (ids.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        RedisClusterAsyncCommands<byte[], byte[]> c = local.async();
        String[] idArray = ids.toArray(String[]::new);
        byte[] key = streamKey(target);
        CompletableFuture<Long> ack = c.xack(key, group, idArray).toCompletableFuture();
        CompletableFuture<Long> del = c.xdel(key, idArray).toCompletableFuture();
        return CompletableFuture.allOf(ack, del);
    }

    /** Returns the number of hints waiting for a region. */
    public CompletableFuture<Long> length(Region target) {
        return local.async().xlen(streamKey(target)).toCompletableFuture();
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
            hints.add(hint != null ? hint : new EnvelopeCodec.Hint(m.getId(), null, null));
        }
        return hints;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
