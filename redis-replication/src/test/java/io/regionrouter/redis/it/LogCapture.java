package io.regionrouter.redis.it;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Captures what slf4j-simple writes while it is open. The test logging backend writes to whatever
 * {@code System.err} is at the moment of each line (its default, {@code cacheOutputStream=false}),
 * so swapping the stream captures every logger; the lines still reach the build log too.
 */
final class LogCapture implements AutoCloseable {

    private final PrintStream original = System.err;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    private LogCapture() {
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (captured) {
                    captured.write(b);
                }
                original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (captured) {
                    captured.write(b, off, len);
                }
                original.write(b, off, len);
            }
        };
        System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
    }

    /** Starts capturing. */
    static LogCapture start() {
        return new LogCapture();
    }

    /** Returns everything logged so far. */
    String text() {
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8);
        }
    }

    /** Returns how many lines contain every one of {@code parts}. */
    long lines(String... parts) {
        return text().lines().filter(line -> {
            for (String p : parts) {
                if (!line.contains(p)) {
                    return false;
                }
            }
            return true;
        }).count();
    }

    @Override
    public void close() {
        System.err.flush();
        System.setErr(original);
    }
}
