package io.regionrouter.examples;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Prints the demo's sections, progress lines and verdicts. */
final class DemoConsole {

    private final PrintStream out;
    private int failed;

    DemoConsole(PrintStream out) {
        this.out = out;
    }

    /** Runs {@code work} while a progress line shows the elapsed seconds. */
    void withProgress(String what, Runnable work) {
        long start = System.nanoTime();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-progress");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(
                () -> out.printf("\r%s ... %.1f s", what, seconds(start)), 0, 200, TimeUnit.MILLISECONDS);
        try {
            work.run();
        } finally {
            ticker.shutdownNow();
        }
        out.printf("\r%s ... done in %.1f s%n", what, seconds(start));
    }

    /**
      * Runs every step, numbering them from {@code firstNumber}; a step that throws counts as failed.
      * Returns whether all passed.
      */
    boolean runAll(List<DemoStep> steps, DemoContext context, int firstNumber) {
        int number = firstNumber;
        for (DemoStep step : steps) {
            out.printf("%n== %d. %s ==%n", number++, step.title());
            boolean passed;
            try {
                passed = step.run(context);
            } catch (Exception e) {
                out.println("  error: " + e);
                for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
                    out.println("  caused by: " + cause);
                }
                passed = false;
            }
            out.println(passed ? "  PASS" : "  FAIL");
            if (!passed) {
                failed++;
            }
        }
        return failed == 0;
    }

    void line(String format, Object... args) {
        out.printf("  " + format + "%n", args);
    }

    void summary(boolean passed) {
        out.printf("%nDemo %s%n", passed ? "PASSED" : "FAILED (" + failed + " step(s))");
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
