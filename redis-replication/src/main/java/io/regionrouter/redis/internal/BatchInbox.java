package io.regionrouter.redis.internal;

import io.regionrouter.core.support.EventDispatcher;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.regionrouter.core.Region;
import io.regionrouter.redis.HintLostEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the batches other regions shipped to this region ({@link BatchShipper}): reads the local
 * inbox stream {@code <prefix>inbox:{<local>}} through one consumer group shared by every instance of
 * the region, so each batch is applied by one of them, decompresses it and applies each write to the
 * local Redis with the version-checked script of live writes: a write older than what the key holds
 * changes nothing, so a batch applied twice, or after newer live writes, is harmless. A batch is
 * acknowledged and deleted from the inbox only once every write in it was applied, superseded or
 * refused for good (a foreign value); otherwise it stays pending and is tried again, by this instance
 * or, after the claim idle time, by another one. A write whose recorded regions do not include this
 * region is refused (residency), logged and counted. The group is created once the stream exists,
 * so a region nobody batches to keeps no inbox key. Thread-safe; polls run on one thread.
 */
public final class BatchInbox {

    private static final Logger LOG = LoggerFactory.getLogger(BatchInbox.class);
    /** Batches read per call. */
    private static final int COUNT = 16;

    private final Region local;
    private final RegionConnection connection;
    private final RedisHealth health;
    private final EventDispatcher listeners;
    private final byte[] inbox;
    private final byte[] group;
    private final Consumer<byte[]> consumer;
    private final Duration claimIdle;
    private final Duration callTimeout;
    private final LongAdder applied = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private volatile boolean groupReady;
    private volatile boolean closed;

    /**
     * Creates the inbox reader.
     *
     * @param instance this instance's name, its consumer in the group
     */
    public BatchInbox(Region local, RegionConnection connection, RedisHealth health, EventDispatcher listeners,
            String keyPrefix, String instance, Duration claimIdle, Duration commandTimeout) {
        this.local = local;
        this.connection = connection;
        this.health = health;
        this.listeners = listeners;
        this.inbox = BatchShipper.inboxKey(keyPrefix, local);
        this.group = (keyPrefix + "appliers").getBytes(StandardCharsets.UTF_8);
        this.consumer = Consumer.from(group, instance.getBytes(StandardCharsets.UTF_8));
        this.claimIdle = claimIdle;
        this.callTimeout = commandTimeout.multipliedBy(2);
    }

    /** Returns the writes this instance applied from batches (superseded ones included). */
    public long applied() {
        return applied.sum();
    }

    /** Returns the writes this instance refused from batches (foreign values, residency, corrupt batches). */
    public long refused() {
        return refused.sum();
    }

    /** Runs one poll, logging instead of throwing. */
    public void scheduledPoll() {
        try {
            poll();
        } catch (RuntimeException e) {
            LOG.warn("[redis {}] applying the inbox failed; will retry", local, e);
        }
    }

    /**
     * Applies what the inbox holds, as long as every batch settles.
     *
     * @return the number of batches settled
     */
    public int poll() {
        if (closed || !health.isUp(local)) {
            return 0;
        }
        int settled = 0;
        try {
            if (!groupReady && !ensureGroup()) {
                return 0;
            }
            RedisClusterAsyncCommands<byte[], byte[]> c = connection.async();
            await(c.xautoclaim(inbox, XAutoClaimArgs.Builder.xautoclaim(consumer, claimIdle, "0-0").count(COUNT))
                    .toCompletableFuture());
            while (!closed) {
                List<StreamMessage<byte[], byte[]>> batches = await(c.xreadgroup(consumer,
                        XReadArgs.Builder.count(COUNT), XReadArgs.StreamOffset.from(inbox, "0")).toCompletableFuture());
                if (batches.isEmpty()) {
                    batches = await(c.xreadgroup(consumer, XReadArgs.Builder.count(COUNT),
                            XReadArgs.StreamOffset.lastConsumed(inbox)).toCompletableFuture());
                }
                if (batches.isEmpty()) {
                    break;
                }
                List<String> done = new ArrayList<>();
                for (StreamMessage<byte[], byte[]> m : batches) {
                    if (!apply(m)) {
                        break;
                    }
                    done.add(m.getId());
                }
                if (!done.isEmpty()) {
                    String[] ids = done.toArray(new String[0]);
                    await(c.xack(inbox, group, ids).toCompletableFuture());
                    await(c.xdel(inbox, ids).toCompletableFuture());
                    settled += ids.length;
                }
                if (done.size() < batches.size()) {
                    break;
                }
            }
        } catch (TimeoutException | ExecutionException | RuntimeException e) {
            Throwable cause = Failures.unwrap(e);
            if (String.valueOf(cause.getMessage()).startsWith("NOGROUP")) {
                groupReady = false;
            }
            LOG.debug("[redis {}] inbox poll stopped by a failure: {}", local, cause.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return settled;
    }

    private boolean ensureGroup() throws InterruptedException, ExecutionException, TimeoutException {
        try {
            await(connection.async().xgroupCreate(XReadArgs.StreamOffset.from(inbox, "0"), group).toCompletableFuture());
        } catch (ExecutionException e) {
            Throwable cause = Failures.unwrap(e);
            String message = String.valueOf(cause.getMessage());
            if (message.contains("requires the key to exist")) {
                return false; // no region has shipped a batch here yet
            }
            if (!(cause instanceof RedisBusyException) && !message.startsWith("BUSYGROUP")) {
                throw e;
            }
        }
        groupReady = true;
        return true;
    }

    /** Applies one batch; returns whether it is settled (every write applied, superseded or refused for good). */
    private boolean apply(StreamMessage<byte[], byte[]> message) throws InterruptedException {
        Map<byte[], byte[]> body = message.getBody();
        byte[] blob = null;
        String origin = "?";
        if (body != null) {
            for (Map.Entry<byte[], byte[]> field : body.entrySet()) {
                String name = new String(field.getKey(), StandardCharsets.UTF_8);
                if (name.equals("b")) {
                    blob = field.getValue();
                } else if (name.equals("o")) {
                    origin = new String(field.getValue(), StandardCharsets.UTF_8);
                }
            }
        }
        List<BatchCodec.Item> items;
        try {
            if (blob == null) {
                throw new IllegalStateException("the entry has no batch field");
            }
            items = BatchCodec.decode(blob);
        } catch (IllegalStateException corrupt) {
            refused.increment();
            LOG.error("[redis {}] inbox entry {} from region {} is not a readable batch and is dropped: {}", local,
                    message.getId(), origin, corrupt.getMessage());
            return true;
        }
        RedisClusterAsyncCommands<byte[], byte[]> c = connection.async();
        List<CompletableFuture<Object>> sent = new ArrayList<>(items.size());
        for (BatchCodec.Item item : items) {
            if (!BatchShipper.mayHold(item.envelope(), local)) {
                sent.add(null);
                continue;
            }
            sent.add(ScriptRunner.run(c, Scripts.APPLY_SHA, Scripts.APPLY, ScriptOutputType.MULTI,
                    new byte[][] {item.key()}, EnvelopeCodec.scriptArgs(item.envelope())));
        }
        boolean settled = true;
        for (int i = 0; i < items.size(); i++) {
            BatchCodec.Item item = items.get(i);
            String key = new String(item.key(), StandardCharsets.UTF_8);
            if (sent.get(i) == null) {
                refused.increment();
                LOG.error("[redis {}] batch {} from region {} holds key {} whose regions [{}] exclude this region; "
                        + "not applied", local, message.getId(), origin, Text.quote(key), item.envelope().regions());
                continue;
            }
            try {
                sent.get(i).get(callTimeout.toNanos(), TimeUnit.NANOSECONDS);
                applied.increment();
            } catch (ExecutionException e) {
                Throwable cause = Scripts.translate(Failures.unwrap(e), key, local);
                if (Failures.classify(cause).retryable()) {
                    settled = false;
                } else {
                    refused.increment();
                    LOG.error("[redis {}] region {} refused the write of key {} from a batch of region {}", local,
                            local, Text.quote(key), origin, cause);
                    listeners.publish(new HintLostEvent(local, key, item.envelope().version(), cause));
                }
            } catch (TimeoutException e) {
                settled = false;
            }
        }
        return settled;
    }

    private <T> T await(CompletableFuture<T> future) throws InterruptedException, ExecutionException,
            TimeoutException {
        return future.get(callTimeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Stops future polls. */
    public void close() {
        closed = true;
    }
}
