package io.regionrouter.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.regionrouter.testkit.internal.PostgresServerImpl;
import io.regionrouter.testkit.internal.PostgresSettings;
import io.regionrouter.testkit.internal.Run;
import io.regionrouter.testkit.internal.RunContext;

/**
 * Named regions of real servers on this machine, each server behind its own TCP proxy with fault
 * controls: the testkit's entry point.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final LocalRegions REGIONS = LocalRegions.builder()
 *         .region("us", ServerKind.POSTGRES, ServerKind.REDIS)
 *         .region("eu", ServerKind.POSTGRES, ServerKind.MONGO)
 *         .build();
 *
 * @Test
 * void readsFromEu() throws Exception {
 *     REGIONS.viewFrom("us");                        // eu is now 40 ms away each way
 *     PostgresServer eu = REGIONS.region("eu").postgres();
 *     try (Connection c = DriverManager.getConnection(eu.jdbcUrl(), eu.appUser(), eu.appPassword())) {
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>Use it programmatically with {@link #start()} and {@link #close()} (try-with-resources), or as
 * a JUnit 5 extension registered on a {@code static} field: it starts before all tests of the class
 * and closes after them, also when tests fail. Nested test classes share it; it closes after the
 * outermost class.
 *
 * <p>Servers of all regions start in parallel on free ports. Data lives under
 * {@code target/testkit-data/<run-id>/<region>-<kind>} (relative to the working directory, see
 * {@link Builder#dataRoot(Path)}) and is deleted on close. A JVM shutdown hook closes a run that was
 * never closed; a run whose JVM was killed outright is cleaned up (its processes stopped, its
 * directory deleted) by the next start under the same root. After {@link #close()}, {@link #start()} starts a fresh run with new ports.
 *
 * <p>Thread-safe: the life-cycle methods are synchronized; fault controls may be called from any
 * thread.
 */
public final class LocalRegions implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

    /** The default one-way delay between regions used by {@link #viewFrom(String)}: 40 ms. */
    public static final Duration DEFAULT_INTER_REGION_DELAY = Duration.ofMillis(40);

    /** The default time a server may take to start: 60 s. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);

    /** The default root of run directories, relative to the working directory: {@code target/testkit-data}. */
    public static final Path DEFAULT_DATA_ROOT = Path.of("target", "testkit-data");

    private static final Logger LOG = LoggerFactory.getLogger(LocalRegions.class);
    private static final Pattern REGION_NAME = Pattern.compile("[a-z0-9-]{1,32}");

    private final Map<String, Set<ServerKind>> declared;
    private final Duration interRegionDelay;
    private final Map<String, String> postgresSettings;
    private final Path dataRoot;
    private final Duration startTimeout;

    private final Map<String, LocalRegion> regions = new LinkedHashMap<>();
    private Run run;
    private Thread shutdownHook;
    private int extensionDepth;
    private final int redisClusterNodes;

    private LocalRegions(Builder b) {
        this.declared = Collections.unmodifiableMap(new LinkedHashMap<>(b.regions));
        this.interRegionDelay = b.interRegionDelay;
        this.postgresSettings = Map.copyOf(b.postgresSettings);
        this.dataRoot = b.dataRoot;
        this.startTimeout = b.startTimeout;
        this.redisClusterNodes = b.redisClusterNodes;
    }

    /** Returns a new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts every server of every region, in parallel, each behind its proxy. Does nothing if
     * already started. If any server fails to start, everything started so far is closed.
     *
     * @return this
     * @throws IllegalStateException if a server failed to start; its cause says why
     */
    public synchronized LocalRegions start() {
        if (run != null) {
            return this;
        }
        Thread hook = new Thread(this::closeFromHook, "region-router-testkit-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        shutdownHook = hook;
        try {
            run = Run.start(declared, dataRoot, postgresSettings, startTimeout, standbyRegistry(), redisClusterNodes);
        } catch (RuntimeException e) {
            removeShutdownHook();
            throw e;
        }
        run.servers().forEach((name, kinds) -> regions.put(name, new LocalRegion(name, new EnumMap<>(kinds))));
        return this;
    }

    private RunContext.StandbyRegistry standbyRegistry() {
        return new RunContext.StandbyRegistry() {
            @Override
            public void checkRegion(String region) {
                region(region);
            }

            @Override
            public void register(String region, PostgresServerImpl standby) {
                synchronized (LocalRegions.this) {
                    if (run == null) {
                        standby.close();
                        throw new IllegalStateException("LocalRegions was closed while the standby " + standby.name()
                                + " was starting");
                    }
                    run.add(standby);
                    region(region).addStandby(standby);
                }
            }
        };
    }

    /**
     * Returns a region.
     *
     * @param name the region's name
     * @return the region
     * @throws IllegalArgumentException if no region has that name
     * @throws IllegalStateException if not started
     */
    public synchronized LocalRegion region(String name) {
        if (!declared.containsKey(name)) {
            throw new IllegalArgumentException("region '" + name + "' is not declared; declared regions are "
                    + declared.keySet());
        }
        if (run == null) {
            throw new IllegalStateException("LocalRegions is not started; call start() or register it as an extension");
        }
        return regions.get(name);
    }

    /** Returns the region names in declaration order. */
    public List<String> names() {
        return List.copyOf(declared.keySet());
    }

    /** Returns the regions in declaration order. @throws IllegalStateException if not started */
    public synchronized List<LocalRegion> regions() {
        if (run == null) {
            throw new IllegalStateException("LocalRegions is not started; call start() or register it as an extension");
        }
        return List.copyOf(regions.values());
    }

    /** Returns the one-way delay that {@link #viewFrom(String)} puts between regions. */
    public Duration interRegionDelay() {
        return interRegionDelay;
    }

    /** Returns this run's data directory, or {@code null} before start. */
    public synchronized Path runDirectory() {
        return run == null ? null : run.dir();
    }

    /** Returns {@code true} between {@link #start()} and {@link #close()}. */
    public synchronized boolean isStarted() {
        return run != null;
    }

    /**
     * Looks at the regions from one of them: its own servers' proxies get no delay, every other
     * region's get {@link #interRegionDelay()} one way.
     *
     * @param name the region the caller is in
     * @throws IllegalArgumentException if no region has that name
     */
    public void viewFrom(String name) {
        region(name);
        for (LocalRegion r : regions()) {
            r.delay(r.name().equals(name) ? Duration.ZERO : interRegionDelay);
        }
    }

    /**
     * Undoes every fault: restarts stopped servers, heals every proxy and removes every delay.
     * Useful in {@code @AfterEach}.
     */
    public void resetFaults() {
        for (LocalRegion r : regions()) {
            for (ProxiedServer s : r.servers()) {
                if (!s.isRunning()) {
                    s.restart();
                }
                s.heal();
                s.delay(Duration.ZERO);
            }
        }
    }

    /**
     * Stops every server and proxy and deletes the run directory. Idempotent.
     *
     * @throws IllegalStateException if something could not be stopped or deleted; everything else
     *     is still stopped
     */
    @Override
    public synchronized void close() {
        Run r = run;
        run = null;
        regions.clear();
        try {
            if (r != null) {
                r.close();
            }
        } finally {
            removeShutdownHook();
        }
    }

    private void removeShutdownHook() {
        Thread hook = shutdownHook;
        shutdownHook = null;
        if (hook != null && Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down; the hook runs and finds nothing to do
                LOG.debug("JVM is shutting down; shutdown hook stays registered", e);
            }
        }
    }

    private void closeFromHook() {
        try {
            close();
        } catch (RuntimeException e) {
            System.err.println("region-router testkit: close at JVM shutdown failed: " + e);
        }
    }

    /** Starts the regions before all tests of the class (see the class documentation). */
    @Override
    public void beforeAll(ExtensionContext context) {
        synchronized (this) {
            extensionDepth++;
        }
        start();
    }

    /** Closes the regions after all tests of the outermost class. */
    @Override
    public void afterAll(ExtensionContext context) {
        boolean last;
        synchronized (this) {
            extensionDepth = Math.max(0, extensionDepth - 1);
            last = extensionDepth == 0;
        }
        if (last) {
            close();
        }
    }

    @Override
    public synchronized String toString() {
        StringBuilder sb = new StringBuilder("LocalRegions[");
        if (run == null) {
            sb.append("not started, ").append(declared);
        } else {
            sb.append(regions.values());
        }
        return sb.append(']').toString();
    }

    /**
     * Builds a {@link LocalRegions}. Each setter checks its argument; {@link #build()} checks that
     * at least one region is declared. Not thread-safe.
     */
    public static final class Builder {

        private final Map<String, Set<ServerKind>> regions = new LinkedHashMap<>();
        private Duration interRegionDelay = DEFAULT_INTER_REGION_DELAY;
        private final Map<String, String> postgresSettings = PostgresSettings.defaults();
        private Path dataRoot = DEFAULT_DATA_ROOT;
        private Duration startTimeout = DEFAULT_START_TIMEOUT;
        private int redisClusterNodes = 1;

        private Builder() {
        }

        /**
         * Declares a region and the servers it runs.
         *
         * @param name 1 to 32 lowercase letters, digits or {@code -}; unique
         * @param kinds at least one kind, each at most once
         * @return this builder
         * @throws IllegalArgumentException for a bad or duplicate name, or bad kinds
         */
        public Builder region(String name, ServerKind... kinds) {
            if (name == null || !REGION_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("region.name must be 1 to 32 lowercase letters, digits or '-', but was "
                        + (name == null ? "null" : "'" + name + "'"));
            }
            if (regions.containsKey(name)) {
                throw new IllegalArgumentException("region.name must be unique, but '" + name + "' is declared twice");
            }
            if (kinds == null || kinds.length == 0) {
                throw new IllegalArgumentException("region(" + name + ").kinds must name at least one ServerKind, but was none");
            }
            Set<ServerKind> set = EnumSet.noneOf(ServerKind.class);
            for (ServerKind k : kinds) {
                if (k == null) {
                    throw new IllegalArgumentException("region(" + name + ").kinds must not contain null, but was "
                            + Arrays.toString(kinds));
                }
                if (!set.add(k)) {
                    throw new IllegalArgumentException("region(" + name + ").kinds must name each kind once, but "
                            + k + " appears twice in " + Arrays.toString(kinds));
                }
            }
            regions.put(name, Collections.unmodifiableSet(set));
            return this;
        }

        /**
         * Sets the one-way delay that {@link LocalRegions#viewFrom(String)} puts between regions.
         *
         * @param oneWay at least zero; default {@link #DEFAULT_INTER_REGION_DELAY}
         * @return this builder
         */
        public Builder interRegionDelay(Duration oneWay) {
            Objects.requireNonNull(oneWay, "interRegionDelay must not be null");
            if (oneWay.isNegative()) {
                throw new IllegalArgumentException("interRegionDelay must be >= 0, but was " + oneWay);
            }
            this.interRegionDelay = oneWay;
            return this;
        }

        /**
         * Adds or overrides a PostgreSQL server setting for every PostgreSQL of the run, such as
         * {@code postgresSetting("max_wal_senders", "20")}. The testkit owns {@code port} and
         * {@code listen_addresses}.
         *
         * @param key a setting name
         * @param value a value of letters, digits and {@code _.:,/+-}, or {@code ''} for empty
         * @return this builder
         */
        public Builder postgresSetting(String key, String value) {
            PostgresSettings.check(key, value);
            postgresSettings.put(key, value);
            return this;
        }

        /**
         * Sets the directory under which each run creates its own directory. A relative path is
         * resolved against the working directory at start.
         *
         * @param root the root; default {@link #DEFAULT_DATA_ROOT}
         * @return this builder
         */
        public Builder dataRoot(Path root) {
            this.dataRoot = Objects.requireNonNull(root, "dataRoot must not be null");
            return this;
        }

        /**
         * Sets how long each server may take to start.
         *
         * @param timeout positive; default {@link #DEFAULT_START_TIMEOUT}
         * @return this builder
         */
        public Builder startTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "startTimeout must not be null");
            if (timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException("startTimeout must be > 0, but was " + timeout);
            }
            this.startTimeout = timeout;
            return this;
        }

        /**
         * Makes every region's Redis a Redis Cluster of {@code masters} master nodes (no replicas),
         * each behind its own proxy and announcing the proxy's port, so that cluster redirects go
         * through the proxies and every fault control of {@link LocalRegion#redis()} acts on the whole
         * cluster. The slots are split evenly. Default: a standalone server.
         *
         * @param masters 2 to 9
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder redisCluster(int masters) {
            if (masters < 2 || masters > 9) {
                throw new IllegalArgumentException("redisCluster.masters must be in [2, 9], but was " + masters);
            }
            this.redisClusterNodes = masters;
            return this;
        }

        /**
         * Builds the regions; nothing is started yet.
         *
         * @return the regions
         * @throws IllegalStateException if no region is declared
         */
        public LocalRegions build() {
            if (regions.isEmpty()) {
                throw new IllegalStateException("regions must declare at least one region, but was none");
            }
            return new LocalRegions(this);
        }
    }
}
