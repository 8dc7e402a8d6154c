package io.regionrouter.redis.internal;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Draws the writer id of one {@code RegionalRedis} instance when it is built: {@code <region>/
 * [<name>.]<sequence><random>}. The sequence is unique within the process and the 60 random bits
 * separate processes, so two instances never share an id, even when they were built from one
 * configuration object (which carries at most a readable name, never the identity). Thread-safe.
 */
public final class WriterIds {

    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private WriterIds() {
    }

    /**
     * Returns a fresh instance id.
     *
     * @param name a readable name to put first, or null
     */
    public static String newInstanceId(String name) {
        StringBuilder id = new StringBuilder(32);
        if (name != null) {
            id.append(name).append('.');
        }
        id.append(Long.toString(SEQUENCE.incrementAndGet(), 36)).append('-');
        long bits = RANDOM.nextLong();
        for (int i = 0; i < 12; i++) {
            id.append(ALPHABET[(int) (bits & 31)]);
            bits >>>= 5;
        }
        return id.toString();
    }
}
