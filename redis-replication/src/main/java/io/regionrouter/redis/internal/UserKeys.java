package io.regionrouter.redis.internal;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.regionrouter.core.Region;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A user's keys in one region's Redis, read, mirrored and deleted there only: the work of
 * {@code RedisUserMover}. A key is the user's when its hash tag is the user id; this module's own
 * keys (under its key prefix, markers included) never are.
 */
public final class UserKeys {

    /** The fields of a value that move with it and are compared; {@code r} (where the write was sent) is rewritten. */
    private static final String[] FIELDS = {"v", "w", "f", "d", "x", "t"};

    private final RegionConnection connection;
    private final String keyPrefix;
    private final Duration timeout;

    public UserKeys(RegionConnection connection, String keyPrefix, Duration timeout) {
        this.connection = connection;
        this.keyPrefix = keyPrefix;
        this.timeout = timeout;
    }

    /** A value: its fields, or for a key this module did not write, its {@code DUMP} and remaining ttl. */
    public record Item(String key, Map<String, String> fields, byte[] dump, long pttl) {

        boolean sameAs(Item other) {
            if (other == null || (fields == null) != (other.fields == null)) {
                return false;
            }
            if (fields == null) {
                return Arrays.equals(dump, other.dump);
            }
            for (String f : FIELDS) {
                if (!java.util.Objects.equals(fields.get(f), other.fields.get(f))) {
                    return false;
                }
            }
            return true;
        }
    }

    /** The user's keys here, sorted, with their values. */
    public TreeMap<String, Item> read(String userId) {
        List<String> keys = keys(userId);
        RedisClusterAsyncCommands<byte[], byte[]> c = connection.async();
        List<CompletableFuture<Map<byte[], byte[]>>> hashes = new ArrayList<>();
        for (String k : keys) {
            hashes.add(c.hgetall(bytes(k)).toCompletableFuture());
        }
        TreeMap<String, Item> out = new TreeMap<>();
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            try {
                Map<byte[], byte[]> h = hashes.get(i).get(waitNanos(), TimeUnit.NANOSECONDS);
                if (h.isEmpty()) {
                    continue; // expired or deleted since the scan
                }
                Map<String, String> fields = new TreeMap<>();
                h.forEach((f, v) -> fields.put(text(f), latin(v)));
                out.put(key, new Item(key, fields, null, 0));
            } catch (ExecutionException e) {
                if (!(Failures.unwrap(e) instanceof RedisCommandExecutionException reply)
                        || reply.getMessage() == null || !reply.getMessage().startsWith("WRONGTYPE")) {
                    throw failure("reading " + key, e);
                }
                byte[] dump = await(c.dump(bytes(key)).toCompletableFuture(), "dumping " + key);
                Long pttl = await(c.pttl(bytes(key)).toCompletableFuture(), "reading the ttl of " + key);
                if (dump != null) {
                    out.put(key, new Item(key, null, dump, pttl == null ? -1 : pttl));
                }
            } catch (TimeoutException e) {
                throw failure("reading " + key, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure("reading " + key, e);
            }
        }
        return out;
    }

    /** Writes the items that differ from {@code current} and deletes the keys only {@code current} has. */
    public long mirror(Map<String, Item> source, Map<String, Item> current, Region here) {
        RedisClusterAsyncCommands<byte[], byte[]> c = connection.async();
        List<CompletableFuture<?>> sent = new ArrayList<>();
        for (Item item : source.values()) {
            if (item.sameAs(current.get(item.key()))) {
                continue;
            }
            byte[] key = bytes(item.key());
            if (item.fields() == null) {
                long ttl = item.pttl() > 0 ? item.pttl() : 0;
                sent.add(c.restore(key, item.dump(), io.lettuce.core.RestoreArgs.Builder.ttl(ttl).replace())
                        .toCompletableFuture());
                continue;
            }
            Map<String, String> f = item.fields();
            sent.add(ScriptRunner.run(c, MoveScripts.MIRROR_SHA, MoveScripts.MIRROR, ScriptOutputType.INTEGER,
                    new byte[][] {key}, raw(f.getOrDefault("v", "")), raw(f.getOrDefault("w", "")),
                    raw(f.getOrDefault("f", "0")), raw(f.getOrDefault("d", "")), raw(f.getOrDefault("x", "0")),
                    raw(f.getOrDefault("t", "0")), bytes(here.id()), bytes(Long.toString(expireAt(f)))));
        }
        for (String key : current.keySet()) {
            if (!source.containsKey(key)) {
                sent.add(c.del(bytes(key)).toCompletableFuture());
            }
        }
        for (CompletableFuture<?> f : sent) {
            await(f, "writing a copied key");
        }
        return sent.size();
    }

    /** Deletes the user's keys in this region only; returns how many. */
    public long delete(String userId) {
        RedisClusterAsyncCommands<byte[], byte[]> c = connection.async();
        List<CompletableFuture<Long>> sent = new ArrayList<>();
        for (String key : keys(userId)) {
            sent.add(c.del(bytes(key)).toCompletableFuture());
        }
        long deleted = 0;
        for (CompletableFuture<Long> f : sent) {
            Long n = await(f, "deleting a key");
            deleted += n == null ? 0 : n;
        }
        return deleted;
    }

    /** Count and SHA-256 of the user's values in key order, over the fields that move. */
    public static String[] digest(Map<String, Item> items) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
        for (Item item : items.values()) {
            md.update(bytes(item.key()));
            md.update((byte) 0);
            if (item.fields() != null) {
                for (String f : FIELDS) {
                    md.update(raw(item.fields().getOrDefault(f, "")));
                    md.update((byte) 0);
                }
            } else {
                md.update(item.dump());
            }
            md.update((byte) 1);
        }
        return new String[] {Integer.toString(items.size()), HexFormat.of().formatHex(md.digest())};
    }

    /** Runs a marker script on this region; returns its integer answer. */
    public long marker(String sha, String script, String userId, String... args) {
        byte[][] argv = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            argv[i] = bytes(args[i]);
        }
        Long out = await(ScriptRunner.<Long>run(connection.async(), sha, script, ScriptOutputType.INTEGER,
                new byte[][] {bytes(MoveScripts.marker(userId))}, argv), "updating the move marker");
        return out == null ? 0 : out;
    }

    /** Sets the marker to a value without expiry. */
    public void setMarker(String userId, String value) {
        await(connection.async().set(bytes(MoveScripts.marker(userId)), bytes(value)).toCompletableFuture(),
                "setting the move marker");
    }

    /** Deletes the marker. */
    public void deleteMarker(String userId) {
        await(connection.async().del(bytes(MoveScripts.marker(userId))).toCompletableFuture(), "deleting the move marker");
    }

    /** The marker's value, or null. */
    public String markerValue(String userId) {
        byte[] v = await(connection.async().get(bytes(MoveScripts.marker(userId))).toCompletableFuture(),
                "reading the move marker");
        return v == null ? null : text(v);
    }

    private List<String> keys(String userId) {
        RedisClusterAsyncCommands<byte[], byte[]> c = connection.async();
        ScanArgs args = ScanArgs.Builder.matches(MoveScripts.pattern(userId)).limit(1000);
        List<String> out = new ArrayList<>();
        KeyScanCursor<byte[]> cursor = await(c.scan(args).toCompletableFuture(), "scanning keys");
        while (true) {
            for (byte[] k : cursor.getKeys()) {
                String key = text(k);
                if (userId.equals(MoveScripts.hashTag(key)) && !key.startsWith(keyPrefix)
                        && !key.startsWith(MoveScripts.MARKER_PREFIX)) {
                    out.add(key);
                }
            }
            if (cursor.isFinished()) {
                break;
            }
            cursor = await(c.scan(ScanCursor.of(cursor.getCursor()), args).toCompletableFuture(), "scanning keys");
        }
        return out.stream().distinct().sorted().toList();
    }

    /** When the key expires, as {@code Scripts.APPLY} set it: the later of x and t, if x is set. */
    private static long expireAt(Map<String, String> f) {
        long x = parse(f.get("x"));
        if (x == 0) {
            return 0;
        }
        long t = parse(f.get("t"));
        return Math.max(x, t);
    }

    private static long parse(String s) {
        try {
            return s == null ? 0 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private long waitNanos() {
        return timeout.toNanos();
    }

    private <T> T await(CompletableFuture<T> f, String what) {
        try {
            return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(what, e);
        } catch (ExecutionException | TimeoutException e) {
            throw failure(what, e);
        }
    }

    private IllegalStateException failure(String what, Exception e) {
        Throwable cause = e instanceof ExecutionException ? Failures.unwrap(e) : e;
        return new IllegalStateException("[redis " + connection.region() + "] " + what + " failed: " + cause, cause);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Field values are bytes (compressed data among them): kept as ISO-8859-1 text, one char per byte. */
    private static String latin(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static byte[] raw(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
