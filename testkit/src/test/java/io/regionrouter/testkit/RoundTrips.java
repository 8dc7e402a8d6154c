package io.regionrouter.testkit;

import java.util.Arrays;

/** Measures round trips for the delay tests. */
final class RoundTrips {

    @FunctionalInterface
    interface Call {
        void run() throws Exception;
    }

    private RoundTrips() {
    }

    /** Runs {@code call} {@code n} times after two warm-up calls and returns the median in milliseconds. */
    static double medianMillis(int n, Call call) throws Exception {
        call.run();
        call.run();
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            call.run();
            nanos[i] = System.nanoTime() - t0;
        }
        Arrays.sort(nanos);
        return nanos[n / 2] / 1_000_000.0;
    }
}
