package io.regionrouter.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.regionrouter.core.internal.DaemonThreadFactory;
import io.regionrouter.core.internal.EventDispatcher;
import io.regionrouter.core.internal.RegionMonitor;

/**
 * Tracks whether each region is UP or DOWN. Create one per application.
 *
 * <ul>
 *   <li>One monitor per region, never one per connection. Each {@link #register registered} region
 *       is probed every {@link HealthConfig#interval()}; all monitors share one scheduler.</li>
 *   <li>Probes run on a probe executor, never on an application thread and never on the
 *       scheduler thread, so a hung probe cannot stall other regions. A probe that has not
 *       returned after {@link HealthConfig#timeout()} counts as a failure and its thread is
 *       interrupted. While it is still running no second probe of that region starts; each
 *       interval it keeps running (measured one timeout after the interval began) counts as another
 *       failure, so a hung region is detected as fast as one whose probes fail at the timeout.</li>
 *   <li>Hysteresis: {@link HealthConfig#failureThreshold()} consecutive failures (default 4) mark an
 *       UP region DOWN; {@link HealthConfig#successThreshold()} consecutive successes (default 2)
 *       mark a DOWN region UP. Regions start UP.</li>
 *   <li>Real calls feed the same counters through {@link #recordSuccess} and
 *       {@link #recordFailure}.</li>
 *   <li>Listeners hear every state change as a {@link RegionStateChangedEvent}, on the thread that
 *       caused it, and a region's changes always in the order they happened (see
 *       {@link RegionEventListener}).</li>
 *   <li>A region that was never registered is always UP, and calls recording its results are
 *       ignored.</li>
 * </ul>
 *
 * <p>Thread-safe. {@link #state}, {@link #isUp}, {@link #recordSuccess} and {@link #recordFailure}
 * never block on a probe.
 *
 * <p>If no scheduler is given, a single daemon thread is created on the first
 * {@link #register} and shut down by {@link #close()}. A scheduler passed to the builder is not shut
 * down; the same holds for the probe executor.
 */
public final class RegionHealth implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RegionHealth.class);

    private final HealthConfig config;
    private final LongSupplier ticker;
    private final EventDispatcher events;
    private final Map<Region, RegionMonitor> monitors = new ConcurrentHashMap<>();
    private final Map<Region, ScheduledFuture<?>> ticks = new HashMap<>();
    private final Object lifecycle = new Object();
    private ScheduledExecutorService scheduler;
    private final boolean ownsScheduler;
    private Executor probeExecutor;
    private final boolean ownsProbeExecutor;
    private volatile boolean closed;

    private RegionHealth(Builder b) {
        this.config = b.config;
        this.ticker = b.ticker;
        this.events = new EventDispatcher("region-health", b.listeners);
        this.scheduler = b.scheduler;
        this.ownsScheduler = b.scheduler == null;
        this.probeExecutor = b.probeExecutor;
        this.ownsProbeExecutor = b.probeExecutor == null;
    }

    /** Returns a new builder with the default configuration. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts probing a region. The first probe starts at once (on the scheduler), then every
     * interval. Registering a second probe for the same region keeps the one monitor and requires
     * both probes to pass.
     *
     * @param region the region
     * @param probe the probe
     * @throws IllegalStateException if this instance is closed
     */
    public void register(Region region, HealthProbe probe) {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(probe, "probe");
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("RegionHealth is closed; cannot register region " + region);
            }
            RegionMonitor existing = monitors.get(region);
            if (existing != null) {
                existing.addProbe(probe);
                LOG.info("region {} got an additional health probe; all probes must pass", region);
                return;
            }
            ensureExecutors();
            RegionMonitor monitor = new RegionMonitor(region, probe, config, ticker, scheduler, probeExecutor, events);
            long interval = config.interval().toNanos();
            // schedule first: if the scheduler rejects the task, no monitor that never probes is left behind
            ticks.put(region, scheduler.scheduleAtFixedRate(monitor::tick, 0, interval, TimeUnit.NANOSECONDS));
            monitors.put(region, monitor);
        }
    }

    /**
     * Stops using a probe that {@link #register(Region, HealthProbe) was registered}, for example
     * because the client it probes was closed. When a region's last probe goes, its monitor stops
     * and the region counts as UP again, as one that was never registered. Unknown probes are
     * ignored.
     *
     * @param region the region
     * @param probe the probe, compared by identity
     * @return whether the region is still monitored by other probes
     */
    public boolean unregister(Region region, HealthProbe probe) {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(probe, "probe");
        synchronized (lifecycle) {
            RegionMonitor monitor = monitors.get(region);
            if (monitor == null) {
                return false;
            }
            if (!monitor.removeProbe(probe)) {
                return true;
            }
            monitors.remove(region);
            ScheduledFuture<?> tick = ticks.remove(region);
            if (tick != null) {
                tick.cancel(false);
            }
            monitor.close();
            LOG.info("region {} has no health probe left and is no longer monitored", region);
            return false;
        }
    }

    /** Returns the regions being monitored. */
    public Set<Region> registeredRegions() {
        return Set.copyOf(monitors.keySet());
    }

    /** Returns a region's state; UP for a region that was never registered. Never blocks. */
    public RegionState state(Region region) {
        RegionMonitor monitor = monitors.get(region);
        return monitor == null ? RegionState.UP : monitor.state();
    }

    /** Returns whether a region is UP. Never blocks. */
    public boolean isUp(Region region) {
        return state(region) == RegionState.UP;
    }

    /** Reports that a real call to the region succeeded. Never blocks. */
    public void recordSuccess(Region region) {
        RegionMonitor monitor = monitors.get(region);
        if (monitor != null) {
            monitor.recordSuccess();
        }
    }

    /** Reports that a real call to the region failed. Never blocks. */
    public void recordFailure(Region region, Throwable cause) {
        RegionMonitor monitor = monitors.get(region);
        if (monitor != null) {
            monitor.recordFailure(cause);
        }
    }

    /** Adds a listener for state changes. */
    public void addListener(RegionEventListener listener) {
        events.add(listener);
    }

    /** Removes a listener; returns whether it was registered. */
    public boolean removeListener(RegionEventListener listener) {
        return events.remove(listener);
    }

    /** Returns the configuration. */
    public HealthConfig config() {
        return config;
    }

    /**
     * Stops all probing, interrupts running probes and shuts down the threads this instance
     * created. Idempotent. States stay as they were.
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            ticks.values().forEach(t -> t.cancel(false));
            ticks.clear();
            monitors.values().forEach(RegionMonitor::close);
            if (ownsScheduler && scheduler != null) {
                scheduler.shutdownNow();
            }
            if (ownsProbeExecutor && probeExecutor instanceof ExecutorService) {
                ((ExecutorService) probeExecutor).shutdownNow();
            }
        }
    }

    @Override
    public String toString() {
        return "RegionHealth{config=" + config + ", regions=" + monitors.values() + '}';
    }

    private void ensureExecutors() {
        if (scheduler == null) {
            ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1,
                    new DaemonThreadFactory("region-health-scheduler-"));
            s.setRemoveOnCancelPolicy(true);
            scheduler = s;
        }
        if (probeExecutor == null) {
            probeExecutor = Executors.newCachedThreadPool(new DaemonThreadFactory("region-health-probe-"));
        }
    }

    /** Builds a {@link RegionHealth}. Not thread-safe. */
    public static final class Builder {

        private HealthConfig config = HealthConfig.defaults();
        private ScheduledExecutorService scheduler;
        private Executor probeExecutor;
        private LongSupplier ticker = System::nanoTime;
        private final List<RegionEventListener> listeners = new ArrayList<>();

        private Builder() {
        }

        /** Sets the configuration. Default: {@link HealthConfig#defaults()}. */
        public Builder config(HealthConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * Sets the scheduler shared by all monitors. It only times probes and timeouts; probes run
         * on the probe executor. Not shut down by {@link RegionHealth#close()}. Default: one daemon
         * thread owned by the instance.
         */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Sets the executor that runs probes; it needs at most one thread per region and must not
         * be the scheduler (a hung probe would stall the timeout checks). Not shut down by
         * {@link RegionHealth#close()}. Default: a cached pool of daemon threads owned by the
         * instance.
         */
        public Builder probeExecutor(Executor probeExecutor) {
            this.probeExecutor = Objects.requireNonNull(probeExecutor, "probeExecutor");
            return this;
        }

        /** Sets the nanosecond time source, for tests. Default: {@link System#nanoTime()}. */
        public Builder ticker(LongSupplier nanoTime) {
            this.ticker = Objects.requireNonNull(nanoTime, "ticker");
            return this;
        }

        /** Adds a listener for state changes. */
        public Builder listener(RegionEventListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** Builds the instance. No thread starts before the first {@link RegionHealth#register}. */
        public RegionHealth build() {
            return new RegionHealth(this);
        }
    }
}
