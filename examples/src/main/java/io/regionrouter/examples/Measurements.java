package io.regionrouter.examples;

import java.time.Duration;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/** Small helpers for timing and bounded waiting. */
final class Measurements {

    private Measurements() {
    }

    /** Returns the nearest-rank percentile ({@code 0 < p <= 100}) of nanosecond samples. */
    static long percentile(long[] nanos, double p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** Formats nanoseconds as milliseconds with two decimals. */
    static String millis(long nanos) {
        return String.format("%.2f ms", nanos / 1e6);
    }

    /**
     * Polls {@code condition} every 50 ms until it holds or {@code limit} passes.
     *
     * @return the time it took, or {@code null} if it did not hold within the limit
     * @throws InterruptedException if interrupted while waiting
     */
    static Duration awaitUpTo(Duration limit, BooleanSupplier condition) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            if (System.nanoTime() - deadline >= 0) {
                return null;
            }
            Thread.sleep(50);
        }
    }

    /** Formats a duration as seconds with one decimal. */
    static String seconds(Duration d) {
        return String.format("%.1f s", d.toNanos() / 1e9);
    }
}
