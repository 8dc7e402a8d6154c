package io.regionrouter.redis.internal;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.NestedMultiOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import io.netty.util.concurrent.EventExecutorGroup;
import io.regionrouter.core.Region;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Sends the apply script to remote regions in small groups: the writes queued for a region within
 * {@link #WINDOW_NANOS} (or {@link #MAX_GROUP} of them) leave with one flush. Used for the remote
 * part of ack {@code LOCAL} writes, which nobody waits for: per write, a flush costs a system call
 * here, a wake-up of every hop on the way and of the remote Redis, and on a small machine that work
 * competes with the next local write. One millisecond more on a link of tens of milliseconds changes
 * nothing a caller can see. Each write keeps its own command, reply and Lettuce command timeout, so
 * failures, hints and health are handled per write as before. Thread-safe.
 */
public final class CoalescedApplies implements AutoCloseable {

    /** How long the first write of a group waits for others. */
    static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** A group this large leaves at once. */
    static final int MAX_GROUP = 64;

    private final Map<Region, RegionConnection> connections;
    private final EventExecutorGroup scheduler;
    private final Map<Region, Group> groups = new HashMap<>();
    private volatile boolean closed;

    /**
     * Creates the sender.
     *
     * @param connections the connections of every region
     * @param scheduler where the end of a window is scheduled (the client resources' executors)
     */
    public CoalescedApplies(Map<Region, RegionConnection> connections, EventExecutorGroup scheduler) {
        this.connections = connections;
        this.scheduler = scheduler;
        connections.keySet().forEach(r -> groups.put(r, new Group()));
    }

    /**
     * Queues the apply script for a region; falls back to {@code EVAL} once if the server does not
     * know the script.
     *
     * @param region the region
     * @param key KEYS[1]
     * @param args ARGV
     * @return the script's reply
     */
    public CompletableFuture<List<Object>> apply(Region region, byte[] key, byte[][] args) {
        CommandArgs<byte[], byte[]> commandArgs = new CommandArgs<>(ByteArrayCodec.INSTANCE)
                .add(Scripts.APPLY_SHA).add(1).addKey(key).addValues(args);
        AsyncCommand<byte[], byte[], List<Object>> command = new AsyncCommand<>(new Command<>(CommandType.EVALSHA,
                new NestedMultiOutput<>(ByteArrayCodec.INSTANCE), commandArgs));
        Group group = groups.get(region);
        List<RedisCommand<byte[], byte[], ?>> full = null;
        boolean schedule = false;
        synchronized (group) {
            group.pending.add(command);
            if (group.pending.size() >= MAX_GROUP || closed) {
                full = group.take();
            } else if (!group.scheduled) {
                group.scheduled = true;
                schedule = true;
            }
        }
        if (full != null) {
            send(region, full);
        } else if (schedule) {
            try {
                scheduler.schedule(() -> flush(region), WINDOW_NANOS, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException closing) {
                flush(region);
            }
        }
        return command.exceptionallyCompose(e -> Failures.unwrap(e) instanceof RedisNoScriptException
                ? ScriptRunner.<List<Object>>run(connections.get(region).async(), Scripts.APPLY_SHA, Scripts.APPLY,
                        ScriptOutputType.MULTI, new byte[][] {key}, args)
                : CompletableFuture.failedFuture(Failures.unwrap(e)));
    }

    private void flush(Region region) {
        Group group = groups.get(region);
        List<RedisCommand<byte[], byte[], ?>> due;
        synchronized (group) {
            due = group.take();
        }
        send(region, due);
    }

    private void send(Region region, List<RedisCommand<byte[], byte[], ?>> due) {
        if (due.isEmpty()) {
            return;
        }
        try {
            connections.get(region).dispatch(due);
        } catch (RuntimeException e) {
            // not written: each write fails on its own, and is hinted like any other
            due.forEach(c -> c.completeExceptionally(e));
        }
    }

    /** Sends what is queued now and every later write at once; the connections stay open. */
    @Override
    public void close() {
        closed = true;
        groups.keySet().forEach(this::flush);
    }

    private static final class Group {
        private List<RedisCommand<byte[], byte[], ?>> pending = new ArrayList<>();
        private boolean scheduled;

        /** Takes the queued commands; call holding the lock. */
        List<RedisCommand<byte[], byte[], ?>> take() {
            List<RedisCommand<byte[], byte[], ?>> out = pending;
            pending = new ArrayList<>();
            scheduled = false;
            return out;
        }
    }
}
