package io.regionrouter.redis;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Turns values into bytes and back. Implementations must be thread-safe and must not return null.
 *
 * @param <V> the value type
 */
public interface ValueSerializer<V> {

    /**
     * Serializes a value.
     *
     * @param value the value, never null
     * @return the bytes, never null
     */
    byte[] serialize(V value);

    /**
     * Deserializes a value.
     *
     * @param bytes the bytes that {@link #serialize} produced
     * @return the value
     */
    V deserialize(byte[] bytes);

    /** Returns a serializer for UTF-8 strings. */
    static ValueSerializer<String> utf8() {
        return Utf8.INSTANCE;
    }

    /** Returns a serializer that passes byte arrays through unchanged. */
    static ValueSerializer<byte[]> bytes() {
        return Bytes.INSTANCE;
    }

    /** UTF-8 strings. */
    enum Utf8 implements ValueSerializer<String> {
        INSTANCE;

        @Override
        public byte[] serialize(String value) {
            return Objects.requireNonNull(value, "value").getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String deserialize(byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** Raw bytes. */
    enum Bytes implements ValueSerializer<byte[]> {
        INSTANCE;

        @Override
        public byte[] serialize(byte[] value) {
            return Objects.requireNonNull(value, "value");
        }

        @Override
        public byte[] deserialize(byte[] bytes) {
            return bytes;
        }
    }
}
