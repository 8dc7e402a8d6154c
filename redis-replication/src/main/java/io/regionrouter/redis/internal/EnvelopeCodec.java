package io.regionrouter.redis.internal;

import io.regionrouter.redis.Version;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Encodes envelopes for the apply script, the stored hash and the hint stream, and decodes them.
 *
 * <p>The hash of a key has the fields {@code v} (timestamp as 16 lowercase hex digits, so it sorts
 * like the number), {@code w} (writer id), {@code f} (flags, decimal), {@code d} (data) and
 * {@code x} (absolute expiry in epoch ms, decimal, {@code 0} for none), {@code t} (until when the
 * version is kept after {@code x}: the key's own expiry) and {@code r} (the regions the write was sent
 * to). A hint adds {@code k} (the key). Stateless.
 */
public final class EnvelopeCodec {

    /** Hash fields read back by {@link #fromHash}, in this order. */
    public static final String[] HASH_FIELDS = {"v", "w", "f", "d", "x", "t", "r"};

    private EnvelopeCodec() {
    }

    /** Returns the timestamp as 16 lowercase hex digits. */
    public static String hex(long timestamp) {
        String s = Long.toHexString(timestamp);
        return "0".repeat(16 - s.length()) + s;
    }

    /**
     * Parses 16 hex digits.
     *
     * @throws IllegalArgumentException if the text is not 16 hex digits
     */
    public static long parseHex(String text) {
        if (text == null || text.length() != 16) {
            throw new IllegalArgumentException("version must be 16 hex digits, but was " + text);
        }
        return Long.parseUnsignedLong(text, 16);
    }

    /** Returns the ARGV of the apply script: v, w, f, d, x, t, r. */
    public static byte[][] scriptArgs(Envelope e) {
        return new byte[][] {
            ascii(hex(e.version().timestamp())),
            ascii(e.version().writer()),
            ascii(Integer.toString(e.flags())),
            e.data(),
            ascii(Long.toString(e.expireAtMillis())),
            ascii(Long.toString(e.tombstoneExpireAtMillis())),
            ascii(e.regions()),
        };
    }

    /**
     * Decodes the values of {@link #HASH_FIELDS}.
     *
     * @param values the values of {@link #HASH_FIELDS}, any of them null
     * @return the envelope, or null if the key holds no version
     * @throws IllegalStateException if the stored fields are corrupt
     */
    public static Envelope fromHash(byte[][] values) {
        if (values.length != HASH_FIELDS.length) {
            throw new IllegalArgumentException("expected " + HASH_FIELDS.length + " values, got " + values.length);
        }
        if (values[0] == null) {
            return null;
        }
        try {
            Version version = new Version(parseHex(text(values[0])), values[1] == null ? "" : text(values[1]));
            int flags = values[2] == null ? 0 : Integer.parseInt(text(values[2]));
            byte[] data = values[3] == null ? new byte[0] : values[3];
            long expireAt = values[4] == null ? 0 : Long.parseLong(text(values[4]));
            long keptUntil = values[5] == null ? 0 : Long.parseLong(text(values[5]));
            String regions = values[6] == null ? "" : text(values[6]);
            return new Envelope(version, flags, data, expireAt, keptUntil, regions);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("stored value is not a region-router envelope: " + e.getMessage(), e);
        }
    }

    /**
     * Decodes a stored hash as HGETALL returns it.
     *
     * @return the envelope, or null if the hash is empty
     * @throws IllegalStateException if the stored fields are corrupt or there is no version
     */
    public static Envelope fromHashMap(Map<byte[], byte[]> hash) {
        if (hash == null || hash.isEmpty()) {
            return null;
        }
        byte[][] values = new byte[HASH_FIELDS.length][];
        for (Map.Entry<byte[], byte[]> field : hash.entrySet()) {
            String name = text(field.getKey());
            for (int i = 0; i < HASH_FIELDS.length; i++) {
                if (HASH_FIELDS[i].equals(name)) {
                    values[i] = field.getValue();
                }
            }
        }
        Envelope e = fromHash(values);
        if (e == null) {
            throw new IllegalStateException("stored hash has no version field");
        }
        return e;
    }

    /** Returns the stream entry body of a hint for {@code key}. */
    public static Map<byte[], byte[]> toHint(byte[] key, Envelope e) {
        byte[][] args = scriptArgs(e);
        Map<byte[], byte[]> body = new LinkedHashMap<>();
        body.put(ascii("k"), key);
        body.put(ascii("v"), args[0]);
        body.put(ascii("w"), args[1]);
        body.put(ascii("f"), args[2]);
        body.put(ascii("d"), args[3]);
        body.put(ascii("x"), args[4]);
        body.put(ascii("t"), args[5]);
        body.put(ascii("r"), args[6]);
        return body;
    }

    /**
     * Returns the bytes a hint stream entry counts against the hint log's byte bound: the lengths of
     * its field names and values, plus one eighth, plus 64. It must match the {@code cost} function of
     * {@link Scripts#APPEND_HINT}, which charges the entry when it is appended; the replayer sends it
     * back when it removes the entry.
     *
     * @param body the entry's fields and values, may be null (an entry deleted meanwhile)
     */
    public static long hintCost(Map<byte[], byte[]> body) {
        if (body == null) {
            return 0;
        }
        long n = 0;
        for (Map.Entry<byte[], byte[]> field : body.entrySet()) {
            n += field.getKey().length + (field.getValue() == null ? 0 : field.getValue().length);
        }
        return n * 9 / 8 + 64;
    }

    /**
     * Decodes a hint.
     *
     * @throws IllegalStateException if the entry is not a hint
     */
    public static Hint fromHint(String id, Map<byte[], byte[]> body) {
        byte[] key = null;
        byte[][] hash = new byte[HASH_FIELDS.length][];
        for (Map.Entry<byte[], byte[]> field : body.entrySet()) {
            switch (text(field.getKey())) {
                case "k" -> key = field.getValue();
                case "v" -> hash[0] = field.getValue();
                case "w" -> hash[1] = field.getValue();
                case "f" -> hash[2] = field.getValue();
                case "d" -> hash[3] = field.getValue();
                case "x" -> hash[4] = field.getValue();
                case "t" -> hash[5] = field.getValue();
                case "r" -> hash[6] = field.getValue();
                default -> { }
            }
        }
        Envelope stored = fromHash(hash);
        if (key == null || stored == null) {
            throw new IllegalStateException("hint " + id + " lacks its key or version");
        }
        return new Hint(id, key, stored, hintCost(body));
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /**
     * A decoded hint.
     *
     * @param id the stream entry id
     * @param key the key the write was for, null if the entry could not be decoded
     * @param envelope the write, null if the entry could not be decoded
     * @param cost the bytes the entry counts against the byte bound ({@link #hintCost})
     */
    public record Hint(String id, byte[] key, Envelope envelope, long cost) {
    }
}
