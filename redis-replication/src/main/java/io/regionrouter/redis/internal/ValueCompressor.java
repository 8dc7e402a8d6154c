package io.regionrouter.redis.internal;

import java.io.ByteArrayOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Compresses values at or above a size threshold with DEFLATE (zlib format, from the JDK, so no
 * extra dependency). Lettuce's {@code CompressionCodec} is not used because it compresses every
 * value and cannot tell a compressed value from a plain one; here the envelope's flag records
 * whether the data is compressed, so small values stay plain and both kinds can be read. A value
 * whose compressed form is not smaller is stored plain. Thread-safe.
 */
public final class ValueCompressor {

    private final boolean enabled;
    private final int threshold;

    /**
     * Creates a compressor.
     *
     * @param enabled whether to compress at all
     * @param threshold size in bytes from which values are compressed
     */
    public ValueCompressor(boolean enabled, int threshold) {
        this.enabled = enabled;
        this.threshold = threshold;
    }

    /** Returns the compressed data, or null when the value should be stored plain. */
    public byte[] maybeCompress(byte[] raw) {
        if (!enabled || raw.length < threshold) {
            return null;
        }
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
        try {
            deflater.setInput(raw);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, raw.length / 3));
            byte[] buf = new byte[8192];
            while (!deflater.finished()) {
                int n = deflater.deflate(buf);
                out.write(buf, 0, n);
                if (out.size() >= raw.length) {
                    return null;
                }
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    /**
     * Decompresses data that {@link #maybeCompress} produced.
     *
     * @throws IllegalStateException if the data is corrupt
     */
    public static byte[] decompress(byte[] data) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream(data.length * 3);
            byte[] buf = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buf);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IllegalStateException("compressed value is truncated");
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new IllegalStateException("compressed value is corrupt: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }
}
