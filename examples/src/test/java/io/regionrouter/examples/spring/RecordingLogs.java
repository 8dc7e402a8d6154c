package io.regionrouter.examples.spring;

import java.io.PrintStream;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J provider of this module's integration tests (chosen with the {@code slf4j.provider}
 * system property in the POM): prints INFO and above to stderr as slf4j-simple would, keeps a real
 * MDC (slf4j-simple has none), and records every line of region-router's loggers, DEBUG included,
 * with the MDC it was logged with, so a test can check what each line carried.
 */
public final class RecordingLogs implements SLF4JServiceProvider {

    /** One recorded line. */
    public record Line(long sequence, String thread, Level level, String logger, String message, Map<String, String> mdc) {
    }

    private static final int MAX_LINES = 20_000;
    private static final List<Line> LINES = new ArrayList<>();
    private static long sequence;

    private final MDCAdapter mdc = new BasicMDCAdapter();
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final Map<String, Logger> loggers = new ConcurrentHashMap<>();
    private final ILoggerFactory factory = name -> loggers.computeIfAbsent(name, RecordingLogger::new);
    private static MDCAdapter current;

    /** Every recorded line of region-router's loggers so far. */
    public static synchronized List<Line> lines() {
        return List.copyOf(LINES);
    }

    /** The sequence number the next recorded line gets: lines from now on have at least this one. */
    public static synchronized long mark() {
        return sequence;
    }

    /** Whether this provider is the one SLF4J uses. */
    public static boolean active() {
        return current != null;
    }

    private static synchronized void record(Line line) {
        if (LINES.size() < MAX_LINES) {
            LINES.add(line);
        }
    }

    private static synchronized long next() {
        return sequence++;
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        current = mdc;
    }

    private static final class RecordingLogger extends LegacyAbstractLogger {

        private static final long serialVersionUID = 1L;
        private final boolean library;

        RecordingLogger(String name) {
            this.name = name;
            this.library = name.startsWith("io.regionrouter.") && !name.startsWith("io.regionrouter.examples.");
        }

        @Override
        public boolean isTraceEnabled() {
            return false;
        }

        @Override
        public boolean isDebugEnabled() {
            return library;
        }

        @Override
        public boolean isInfoEnabled() {
            return true;
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args,
                Throwable throwable) {
            String message = MessageFormatter.basicArrayFormat(pattern, args);
            String thread = Thread.currentThread().getName();
            if (library) {
                Map<String, String> context = current.getCopyOfContextMap();
                record(new Line(next(), thread, level, name, message, context == null ? Map.of() : Map.copyOf(context)));
            }
            if (level.toInt() >= Level.INFO.toInt()) {
                PrintStream err = System.err;
                synchronized (err) {
                    err.println(LocalTime.now() + " [" + thread + "] " + level + " " + name + " - " + message);
                    if (throwable != null) {
                        throwable.printStackTrace(err);
                    }
                }
            }
        }
    }
}
