package io.regionrouter.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import com.github.benmanes.caffeine.cache.Ticker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.regionrouter.core.internal.DaemonThreadFactory;
import io.regionrouter.core.support.EventDispatcher;
import io.regionrouter.core.support.TypedEventPublisher;
import io.regionrouter.core.internal.RegionMonitor;
import io.regionrouter.core.internal.StoreHandle;

/**
 * Tracks whether each store of each region is UP or DOWN. Create one per application and share it
 * between the adapters: health is kept per (region, {@link Store}), so eu's Redis being DOWN never
 * closes eu's PostgreSQL, and a second store's probe never joins the first store's verdict.
 *
 * <ul>
 *   <li>One monitor per (region, store), never one per connection, each on its own schedule slot
 *       and with its own timeout; all monitors share one scheduler thread, and probes run on a
 *       probe executor, never on an application thread and never on the scheduler thread, so a
 *       hung probe cannot stall another store's. A probe that has not returned after
 *       {@link HealthConfig#timeout()} counts as a failure and its thread is interrupted. While it
 *       is still running no second probe of that store starts; each interval it keeps running
 *       counts as another failure, so a hung store is detected as fast as one whose probes fail at
 *       the timeout.</li>
 *   <li>Probes use hysteresis: {@link HealthConfig#failureThreshold()} consecutive failures
 *       (default 4) mark an UP store DOWN; {@link HealthConfig#successThreshold()} consecutive
 *       successes (default 2) mark a DOWN store UP. Stores start UP.</li>
 *   <li>Real calls are judged like a circuit breaker: {@link #recordFailure} and
 *       {@link #recordSuccess} feed a time window ({@link HealthConfig#callWindow()}, default 10 s),
 *       and the store goes DOWN when at least {@link HealthConfig#minimumCalls()} calls (default 20)
 *       were recorded and {@link HealthConfig#failureRateThreshold()} percent (default 50) failed.
 *       A burst of concurrent timeouts is therefore not mistaken for a dead store. Only probes bring
 *       a store back UP. See {@link StoreHealth} for what counts as a failure.</li>
 *   <li>Listeners hear every state change as a {@link RegionStateChangedEvent} naming the region
 *       and the store, on the thread that caused it, and one store's changes always in the order
 *       they happened (see {@link RegionEventListener}).</li>
 *   <li>A store that was never registered in a region is always UP, and calls recording its
 *       results are ignored.</li>
 * </ul>
 *
 * <p>For reporting, {@link #states(Region)} and {@link #describe(Region)} give the region-level
 * view, for example {@code "eu: postgres UP, redis DOWN"}.
 *
 * <p>Thread-safe. No query or record method blocks on a probe. Adapters keep the
 * {@link StoreHealth} handle of each of their regions ({@link #store(Region, Store)}) and consult it
 * on the hot path: one volatile read.
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
    private final EventPublisher publisher;
    private final Map<Key, StoreHandle> handles = new ConcurrentHashMap<>();
    private final Map<Key, ScheduledFuture<?>> ticks = new HashMap<>();
    private final AtomicLong version = new AtomicLong();
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
        this.publisher = new Publisher();
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
     * Starts probing a store of a region. The first probe starts at once (on the scheduler), then
     * every interval. Registering a second probe for the same (region, store) keeps the one
     * monitor and requires both probes to pass; a probe for another store gets a monitor of its own.
     *
     * @param region the region
     * @param store the store the probe checks
     * @param probe the probe
     * @throws IllegalStateException if this instance is closed
     */
    public void register(Region region, Store store, HealthProbe probe) {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(probe, "probe");
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("RegionHealth is closed; cannot register " + region + "/" + store);
            }
            StoreHandle handle = handle(region, store);
            RegionMonitor existing = handle.monitor();
            if (existing != null) {
                existing.addProbe(probe);
                LOG.info("{} of region {} got an additional health probe; all its probes must pass", store, region);
                return;
            }
            ensureExecutors();
            RegionMonitor monitor = new RegionMonitor(region, store, probe, config, ticker, scheduler, probeExecutor,
                    events, version::incrementAndGet);
            long interval = config.interval().toNanos();
            // schedule first: if the scheduler rejects the task, no monitor that never probes is left behind
            ticks.put(new Key(region, store),
                    scheduler.scheduleAtFixedRate(monitor::tick, 0, interval, TimeUnit.NANOSECONDS));
            handle.monitor(monitor);
            version.incrementAndGet();
        }
    }

    /**
     * Stops using a probe that {@link #register was registered}, for example because the client
     * it probes was closed. When a store's last probe goes, its monitor stops and the store counts
     * as UP again, as one that was never registered. Unknown probes are ignored.
     *
     * @param region the region
     * @param store the store
     * @param probe the probe, compared by identity
     * @return whether the store is still monitored by other probes
     */
    public boolean unregister(Region region, Store store, HealthProbe probe) {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(probe, "probe");
        synchronized (lifecycle) {
            StoreHandle handle = handles.get(new Key(region, store));
            RegionMonitor monitor = handle == null ? null : handle.monitor();
            if (monitor == null) {
                return false;
            }
            if (!monitor.removeProbe(probe)) {
                return true;
            }
            handle.monitor(null);
            version.incrementAndGet();
            ScheduledFuture<?> tick = ticks.remove(new Key(region, store));
            if (tick != null) {
                tick.cancel(false);
            }
            monitor.close();
            LOG.info("{} of region {} has no health probe left and is no longer monitored", store, region);
            return false;
        }
    }

    /**
     * Returns the handle of a store in a region, for adapters to keep and consult on every call.
     * The same handle is returned every time; it stays valid across register and unregister.
     */
    public StoreHealth store(Region region, Store store) {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(store, "store");
        return handle(region, store);
    }

    /** Returns the state of a store in a region; UP if it was never registered. Never blocks. */
    public RegionState state(Region region, Store store) {
        return store(region, store).state();
    }

    /** Returns whether a store in a region is UP. Never blocks. */
    public boolean isUp(Region region, Store store) {
        return store(region, store).isUp();
    }

    /** Reports that a real call reached a store of a region. Never blocks. */
    public void recordSuccess(Region region, Store store) {
        store(region, store).recordSuccess();
    }

    /**
     * Reports that a real call could not reach a store of a region, or got no answer. Never
     * blocks. Do not report a server's error replies here; see {@link StoreHealth}.
     */
    public void recordFailure(Region region, Store store, Throwable cause) {
        store(region, store).recordFailure(cause);
    }

    /** Returns the regions that have at least one monitored store. */
    public Set<Region> registeredRegions() {
        Set<Region> out = new java.util.LinkedHashSet<>();
        handles.values().stream().filter(h -> h.monitor() != null).forEach(h -> out.add(h.region()));
        return Set.copyOf(out);
    }

    /**
     * Returns the region-level view: the state of every monitored store of the region, by store
     * name. Empty if none is monitored.
     */
    public Map<Store, RegionState> states(Region region) {
        Objects.requireNonNull(region, "region");
        Map<Store, RegionState> out = new TreeMap<>((a, b) -> a.name().compareTo(b.name()));
        for (StoreHandle h : handles.values()) {
            if (h.region().equals(region) && h.monitor() != null) {
                out.put(h.store(), h.state());
            }
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    /** Describes a region for logs and reports, such as {@code "eu: postgres UP, redis DOWN"}. */
    public String describe(Region region) {
        Map<Store, RegionState> states = states(region);
        if (states.isEmpty()) {
            return region + ": not monitored";
        }
        StringBuilder sb = new StringBuilder().append(region).append(':');
        String sep = " ";
        for (Map.Entry<Store, RegionState> e : states.entrySet()) {
            sb.append(sep).append(e.getKey()).append(' ').append(e.getValue());
            sep = ", ";
        }
        return sb.toString();
    }

    /**
     * Returns a number that changes whenever any store changes state or is registered or
     * unregistered. A caller that cached a decision together with this number can tell whether the
     * decision may be stale with one volatile read. A store's new state is visible before the number
     * changes.
     */
    public long version() {
        return version.get();
    }

    /**
     * The health events, to subscribe to by type.
     *
     * @return the publisher
     */
    public EventPublisher eventPublisher() {
        return publisher;
    }

    /** The events of a {@link RegionHealth}. */
    public interface EventPublisher extends io.regionrouter.core.EventPublisher {

        /**
         * Subscribes to state changes of a store in a region (UP, DOWN).
         *
         * @param consumer the consumer
         * @return this publisher
         */
        EventPublisher onStateChanged(Consumer<? super RegionStateChangedEvent> consumer);

        @Override
        EventPublisher onEvent(RegionEventListener listener);

        @Override
        <T extends RegionEvent> EventPublisher on(Class<T> type, Consumer<? super T> consumer);
    }

    private final class Publisher extends TypedEventPublisher<EventPublisher> implements EventPublisher {

        Publisher() {
            super(events);
        }

        @Override
        protected EventPublisher self() {
            return this;
        }

        @Override
        public EventPublisher onStateChanged(Consumer<? super RegionStateChangedEvent> consumer) {
            return on(RegionStateChangedEvent.class, consumer);
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
            for (StoreHandle h : handles.values()) {
                RegionMonitor m = h.monitor();
                if (m != null) {
                    m.close();
                }
            }
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
        List<String> monitored = new ArrayList<>();
        handles.values().stream().filter(h -> h.monitor() != null).forEach(h -> monitored.add(h.toString()));
        monitored.sort(null);
        return "RegionHealth{config=" + config + ", stores=" + monitored + '}';
    }

    private StoreHandle handle(Region region, Store store) {
        return handles.computeIfAbsent(new Key(region, store), k -> new StoreHandle(k.region(), k.store()));
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

    private record Key(Region region, Store store) {
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
         * Sets the executor that runs probes; it needs at most one thread per monitored store and must not
         * be the scheduler (a hung probe would stall the timeout checks). Not shut down by
         * {@link RegionHealth#close()}. Default: a cached pool of daemon threads owned by the
         * instance.
         */
        public Builder probeExecutor(Executor probeExecutor) {
            this.probeExecutor = Objects.requireNonNull(probeExecutor, "probeExecutor");
            return this;
        }

        /** Sets the elapsed-time source, for tests. Default: {@link Ticker#systemTicker()}. */
        public Builder ticker(Ticker ticker) {
            Objects.requireNonNull(ticker, "ticker");
            this.ticker = ticker::read;
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
