package io.regionrouter.testkit.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.netcrusher.core.reactor.NioReactor;

/**
 * What every server of one run shares: the proxy reactor, the run directory, the settings and a
 * way to hand new standbys to their region. Immutable apart from the standby counter.
 */
public final class RunContext {

    /** Adds a server created after start (a standby) to a region. */
    @FunctionalInterface
    public interface StandbyRegistry {
        /**
         * Validates the region name before anything is started.
         *
         * @param region the region name
         * @throws IllegalArgumentException if no such region exists
         */
        default void checkRegion(String region) {
        }

        /**
         * Adds the started standby to the region.
         *
         * @param region the region name
         * @param standby the running standby
         */
        void register(String region, PostgresServerImpl standby);
    }

    private final NioReactor reactor;
    private final Path runDir;
    private final Map<String, String> postgresSettings;
    private final Duration startTimeout;
    private final StandbyRegistry standbyRegistry;
    private final AtomicInteger standbyCounter = new AtomicInteger();

    /**
     * Creates the context.
     *
     * @param reactor the shared proxy reactor
     * @param runDir the directory of this run
     * @param postgresSettings the PostgreSQL server settings
     * @param startTimeout how long a server may take to start
     * @param standbyRegistry where new standbys go
     */
    public RunContext(NioReactor reactor, Path runDir, Map<String, String> postgresSettings,
            Duration startTimeout, StandbyRegistry standbyRegistry) {
        this.reactor = reactor;
        this.runDir = runDir;
        this.postgresSettings = Map.copyOf(postgresSettings);
        this.startTimeout = startTimeout;
        this.standbyRegistry = standbyRegistry;
    }

    /** Returns the proxy reactor. */
    public NioReactor reactor() {
        return reactor;
    }

    /** Returns the run directory. */
    public Path runDir() {
        return runDir;
    }

    /** Returns the PostgreSQL server settings. */
    public Map<String, String> postgresSettings() {
        return postgresSettings;
    }

    /** Returns how long a server may take to start. */
    public Duration startTimeout() {
        return startTimeout;
    }

    /** Returns where new standbys go. */
    public StandbyRegistry standbyRegistry() {
        return standbyRegistry;
    }

    /** Returns the next standby number of this run, starting at 1. */
    public int nextStandbyNumber() {
        return standbyCounter.incrementAndGet();
    }
}
