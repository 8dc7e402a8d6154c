package io.regionrouter.redis.internal;

import io.regionrouter.redis.Version;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Encodes a batch of versioned writes as one zlib-compressed blob, and decodes it. Compressing the
 * batch as one unit is what makes small values cheap to ship: keys, writer ids, region lists and
 * JSON field names repeat from write to write, and one dictionary covers them all.
 *
 * <p>Layout before compression: the byte {@code 'B'}, the format version {@code 1}, the number of
 * writes, then per write its key, timestamp, writer id, flags, data, expiry, retention and regions
 * ({@link java.io.DataOutput} encodings; byte arrays as a length then the bytes). A blob that
 * inflates past {@link #MAX_INFLATED} bytes is refused, so a corrupt or hostile inbox entry cannot
 * exhaust memory. Stateless.
 */
public final class BatchCodec {

    /** The largest a batch may inflate to: 256 MiB. */
    static final int MAX_INFLATED = 256 << 20;
    private static final int MAGIC = 'B';
    private static final int FORMAT = 1;

    private BatchCodec() {
    }

    /** One write of a batch. */
    public record Item(byte[] key, Envelope envelope) {
    }

    /** Returns the compressed blob of the writes. */
    public static byte[] encode(List<Item> items) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
        try (DataOutputStream out = new DataOutputStream(new DeflaterOutputStream(bytes, deflater, 8192))) {
            out.writeByte(MAGIC);
            out.writeByte(FORMAT);
            out.writeInt(items.size());
            for (Item item : items) {
                Envelope e = item.envelope();
                writeBytes(out, item.key());
                out.writeLong(e.version().timestamp());
                writeBytes(out, e.version().writer().getBytes(StandardCharsets.UTF_8));
                out.writeInt(e.flags());
                writeBytes(out, e.data());
                out.writeLong(e.expireAtMillis());
                out.writeLong(e.tombstoneExpireAtMillis());
                writeBytes(out, e.regions().getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("encoding a batch in memory failed", e);
        } finally {
            deflater.end();
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes a blob.
     *
     * @throws IllegalStateException if the blob is not a batch of this format, is truncated or inflates
     *     past {@link #MAX_INFLATED}
     */
    public static List<Item> decode(byte[] blob) {
        return decode(blob, MAX_INFLATED);
    }

    /** Decodes a blob that may inflate to at most {@code maxInflated} bytes. */
    static List<Item> decode(byte[] blob, int maxInflated) {
        Inflater inflater = new Inflater();
        try (DataInputStream in = new DataInputStream(new Bounded(new InflaterInputStream(
                new ByteArrayInputStream(blob), inflater, 8192), maxInflated))) {
            int magic = in.readUnsignedByte();
            int format = in.readUnsignedByte();
            if (magic != MAGIC || format != FORMAT) {
                throw new IllegalStateException("not a batch of format " + FORMAT + " (starts with " + magic + ", "
                        + format + ")");
            }
            int count = in.readInt();
            if (count < 0) {
                throw new IllegalStateException("batch count must be >= 0, but was " + count);
            }
            List<Item> items = new ArrayList<>(Math.min(count, 1 << 16));
            for (int i = 0; i < count; i++) {
                byte[] key = readBytes(in, maxInflated);
                long timestamp = in.readLong();
                String writer = new String(readBytes(in, maxInflated), StandardCharsets.UTF_8);
                int flags = in.readInt();
                byte[] data = readBytes(in, maxInflated);
                long expireAt = in.readLong();
                long keptUntil = in.readLong();
                String regions = new String(readBytes(in, maxInflated), StandardCharsets.UTF_8);
                items.add(new Item(key, new Envelope(new Version(timestamp, writer), flags, data, expireAt, keptUntil,
                        regions)));
            }
            return items;
        } catch (EOFException e) {
            throw new IllegalStateException("batch is truncated", e);
        } catch (IOException e) {
            throw new IllegalStateException("batch cannot be inflated: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("batch holds an invalid write: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] readBytes(DataInputStream in, int max) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > max) {
            throw new IllegalStateException("field length must be in [0, " + max + "], but was " + n);
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    /** Stops reading past a number of bytes. */
    private static final class Bounded extends java.io.FilterInputStream {
        private long left;

        private final long limit;

        Bounded(InputStream in, long limit) {
            super(in);
            this.left = limit;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && --left < 0) {
                throw new IOException("batch inflates past " + limit + " bytes");
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                left -= n;
                if (left < 0) {
                    throw new IOException("batch inflates past " + limit + " bytes");
                }
            }
            return n;
        }
    }
}
