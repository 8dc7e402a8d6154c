package io.regionrouter.jdbc.replication;

import io.regionrouter.core.InvalidConfigurationException;
import io.micrometer.observation.ObservationRegistry;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionEvent;
import io.regionrouter.core.RegionEventListener;
import io.regionrouter.core.support.Bounds;
import io.regionrouter.core.support.EventDispatcher;
import io.regionrouter.core.support.TypedEventPublisher;
import io.regionrouter.jdbc.replication.internal.AlertTracker;
import io.regionrouter.jdbc.replication.internal.LinkJudge;
import io.regionrouter.jdbc.replication.internal.MicrometerSupport;
import io.regionrouter.jdbc.replication.internal.PollObservation;
import io.regionrouter.jdbc.replication.internal.StatusPoll;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches PostgreSQL replication between regions and raises events when it lags, breaks or lets
 * WAL pile up.
 *
 * <pre>{@code
 * ReplicationMonitor monitor = ReplicationMonitor.builder()
 *     .region(us, usAdmin).region(eu, euAdmin)          // pg_monitor role or superuser
 *     .standby(eu, "eu-replica-1", euReplicaAdmin)      // optional read replicas
 *     .expect(replication.setup())                      // subscriptions that must exist
 *     .listener(event -> alerting.send(event))
 *     .meterRegistry(meterRegistry)                     // optional, needs micrometer-core
 *     .build();
 * monitor.start();
 * }</pre>
 *
 * <p>Each {@link #poll()} reads, per region, {@code pg_stat_replication} (write, flush and replay
 * lag of every WAL sender), {@code pg_replication_slots} (WAL retained by each slot, through
 * {@code pg_wal_lsn_diff}) and {@code pg_stat_subscription} (times of the last messages), and on
 * each standby {@code clock_timestamp() - pg_last_xact_replay_timestamp()}. It judges every
 * {@link ReplicationLink} and raises, once per episode:
 * <ul>
 *   <li>{@link ReplicationLagHighEvent} when a link's lag exceeds {@link Builder#highLag} (default 300 s);</li>
 *   <li>{@link ReplicationBrokenEvent} when a subscription is missing or disabled, immediately, or
 *       when its apply worker or WAL sender has gone, a standby stopped streaming or a database does
 *       not answer, for longer than {@link Builder#brokenAfter} (default 30 s);</li>
 *   <li>{@link SlotRetentionHighEvent} when a slot retains more than
 *       {@link Builder#slotRetentionThreshold} bytes (default 1 GiB);</li>
 *   <li>{@link ReplicationAlertClearedEvent} when any of these ends.</li>
 * </ul>
 *
 * <p>Listeners run on the polling thread; an exception they throw is logged and ignored. Polls
 * never overlap. Thread-safe.
 */
public final class ReplicationMonitor implements AutoCloseable {

    /** Default poll interval: 10 s. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    /** Default statement timeout of each monitoring query: 5 s. */
    public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(5);
    /** Default lag above which {@link ReplicationLagHighEvent} is raised: 300 s. */
    public static final Duration DEFAULT_HIGH_LAG = Duration.ofSeconds(300);
    /** Default WAL retained by one slot above which {@link SlotRetentionHighEvent} is raised: 1 GiB. */
    public static final long DEFAULT_SLOT_RETENTION_THRESHOLD = 1L << 30;
    /** Default time a transient problem must last before the link counts as broken: 30 s. */
    public static final Duration DEFAULT_BROKEN_AFTER = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(ReplicationMonitor.class);

    private final Map<Region, DataSource> regions;
    private final List<StatusPoll.StandbyTarget> standbys;
    private final List<PlannedSubscription> expected;
    private final Duration interval;
    private final int queryTimeoutSeconds;
    private final InstantSource clock;
    private final ScheduledExecutorService scheduler;
    private final boolean ownScheduler;
    private final LinkJudge judge;
    private final AlertTracker alerts;
    private final EventDispatcher listeners = new EventDispatcher("replication-monitor", List.of());
    private final ObservationRegistry observations;
    private final List<Consumer<ReplicationSnapshot>> snapshotListeners = new CopyOnWriteArrayList<>();
    private volatile ReplicationSnapshot latest;
    private final EventPublisher publisher = new Publisher(listeners);
    private ScheduledFuture<?> task;
    private boolean closed;

    private ReplicationMonitor(Builder b) {
        this.regions = new LinkedHashMap<>(b.regions);
        this.standbys = List.copyOf(b.standbys);
        this.expected = List.copyOf(b.expected);
        this.interval = b.interval;
        this.queryTimeoutSeconds = (int) Math.max(1, (b.queryTimeout.toMillis() + 999) / 1000);
        this.clock = b.clock;
        this.ownScheduler = b.scheduler == null;
        this.scheduler = ownScheduler ? Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "region-router-replication-monitor");
            t.setDaemon(true);
            return t;
        }) : b.scheduler;
        this.judge = new LinkJudge(b.brokenAfter);
        this.alerts = new AlertTracker(b.highLag, b.slotRetentionThreshold);
        b.listeners.forEach(listeners::add);
        this.latest = ReplicationSnapshot.empty(clock.instant());
        this.observations = b.observations;
    }

    /** Returns a builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The monitor's events, to subscribe to by type. Consumers run on the polling thread and must be fast.
     *
     * @return the publisher
     */
    public EventPublisher eventPublisher() {
        return publisher;
    }

    /** The events of a {@link ReplicationMonitor}. */
    public interface EventPublisher extends io.regionrouter.core.EventPublisher {

        /**
         * Subscribes to a link whose lag went over the bound.
         *
         * @param consumer the consumer
         * @return this publisher
         */
        EventPublisher onLagHigh(Consumer<? super ReplicationLagHighEvent> consumer);

        /**
         * Subscribes to a link that stopped replicating (or an expected subscription that is missing).
         *
         * @param consumer the consumer
         * @return this publisher
         */
        EventPublisher onBroken(Consumer<? super ReplicationBrokenEvent> consumer);

        /**
         * Subscribes to a slot that retains more WAL than the threshold.
         *
         * @param consumer the consumer
         * @return this publisher
         */
        EventPublisher onSlotRetentionHigh(Consumer<? super SlotRetentionHighEvent> consumer);

        /**
         * Subscribes to an alert that cleared.
         *
         * @param consumer the consumer
         * @return this publisher
         */
        EventPublisher onAlertCleared(Consumer<? super ReplicationAlertClearedEvent> consumer);

        @Override
        EventPublisher onEvent(RegionEventListener listener);

        @Override
        <T extends RegionEvent> EventPublisher on(Class<T> type, Consumer<? super T> consumer);
    }

    private static final class Publisher extends TypedEventPublisher<EventPublisher> implements EventPublisher {

        Publisher(EventDispatcher events) {
            super(events);
        }

        @Override
        protected EventPublisher self() {
            return this;
        }

        @Override
        public EventPublisher onLagHigh(Consumer<? super ReplicationLagHighEvent> consumer) {
            return on(ReplicationLagHighEvent.class, consumer);
        }

        @Override
        public EventPublisher onBroken(Consumer<? super ReplicationBrokenEvent> consumer) {
            return on(ReplicationBrokenEvent.class, consumer);
        }

        @Override
        public EventPublisher onSlotRetentionHigh(Consumer<? super SlotRetentionHighEvent> consumer) {
            return on(SlotRetentionHighEvent.class, consumer);
        }

        @Override
        public EventPublisher onAlertCleared(Consumer<? super ReplicationAlertClearedEvent> consumer) {
            return on(ReplicationAlertClearedEvent.class, consumer);
        }
    }

    /** Adds an event listener. It runs on the polling thread and must be fast. */
    public void addListener(RegionEventListener listener) {
        listeners.add(listener);
    }

    /** Adds a consumer of every snapshot, called on the polling thread after the events. */
    public void addSnapshotListener(Consumer<ReplicationSnapshot> listener) {
        snapshotListeners.add(Objects.requireNonNull(listener, "listener must not be null"));
    }

    /** Starts polling every interval, the first poll at once. Idempotent. */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("ReplicationMonitor is closed");
        }
        if (task == null) {
            task = scheduler.scheduleWithFixedDelay(this::pollSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The latest snapshot; an empty one before the first poll. */
    public ReplicationSnapshot latest() {
        return latest;
    }

    /**
     * The subjects with a raised alert of this kind: link names for HIGH_LAG and BROKEN,
     * {@code <region>/<slot>} for SLOT_RETENTION.
     *
     * @param alert the kind
     * @return the subjects
     */
    public Set<String> activeAlerts(ReplicationAlert alert) {
        synchronized (judge) {
            return alerts.active(alert);
        }
    }

    private void pollSafely() {
        try {
            poll();
        } catch (RuntimeException e) {
            LOG.error("[replication-monitor] poll failed; will retry at the next interval", e);
        }
    }

    /**
     * Reads every database once, judges the links, publishes the events and returns the snapshot.
     * A database that cannot be read is recorded in {@link ReplicationSnapshot#errors()}.
     *
     * @return the snapshot
     */
    public ReplicationSnapshot poll() {
        synchronized (judge) {
            Instant now = clock.instant();
            PollObservation observed = PollObservation.start(observations);
            StatusPoll.Result read;
            List<ReplicationLink> links;
            try {
                read = StatusPoll.read(regions, standbys, queryTimeoutSeconds);
                links = judge.judge(now, expected, read.readings(), read.standbyReadings());
            } catch (RuntimeException e) {
                observed.failed(e);
                throw e;
            }
            observed.judged(links, !read.errors().isEmpty());
            List<RegionEvent> events = alerts.update(links, read.slots(), read.readRegions());
            ReplicationSnapshot snapshot = new ReplicationSnapshot(now, links, read.senders(), read.slots(), read.subscriptions(),
                    read.standbys(), read.errors());
            latest = snapshot;
            for (RegionEvent event : events) {
                if (event instanceof ReplicationAlertClearedEvent) {
                    LOG.info("[replication-monitor] {}", event);
                } else {
                    LOG.warn("[replication-monitor] {}", event);
                }
                listeners.publish(event);
            }
            for (Consumer<ReplicationSnapshot> l : snapshotListeners) {
                try {
                    l.accept(snapshot);
                } catch (RuntimeException e) {
                    LOG.warn("[replication-monitor] snapshot listener {} threw; ignored", l.getClass().getName(), e);
                }
            }
            return snapshot;
        }
    }

    /** Stops polling; shuts the scheduler down if the monitor created it. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        if (task != null) {
            task.cancel(false);
        }
        if (ownScheduler) {
            scheduler.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "ReplicationMonitor[regions=" + regions.keySet() + ", standbys="
                + standbys.stream().map(StatusPoll.StandbyTarget::name).toList() + ", expected=" + expected.size() + ", interval=" + interval + "]";
    }

    /** Builder of {@link ReplicationMonitor}. Each setter checks its argument. */
    public static final class Builder {
        private final Map<Region, DataSource> regions = new LinkedHashMap<>();
        private final List<StatusPoll.StandbyTarget> standbys = new ArrayList<>();
        private final List<PlannedSubscription> expected = new ArrayList<>();
        private final List<RegionEventListener> listeners = new ArrayList<>();
        private Duration interval = DEFAULT_INTERVAL;
        private Duration queryTimeout = DEFAULT_QUERY_TIMEOUT;
        private Duration highLag = DEFAULT_HIGH_LAG;
        private long slotRetentionThreshold = DEFAULT_SLOT_RETENTION_THRESHOLD;
        private Duration brokenAfter = DEFAULT_BROKEN_AFTER;
        private InstantSource clock = Clock.systemUTC();
        private ScheduledExecutorService scheduler;
        private Object meterRegistry;
        private ObservationRegistry observations = ObservationRegistry.NOOP;

        private Builder() {
        }

        /**
         * Observes every poll and each replication path it judged ({@link ReplicationObservation}),
         * with the path's lag on the trace. Default {@link ObservationRegistry#NOOP}: nothing.
         *
         * @param registry the registry, such as the router's {@code observationRegistry()}
         * @return this builder
         */
        public Builder observationRegistry(ObservationRegistry registry) {
            this.observations = Objects.requireNonNull(registry, "monitor.observationRegistry must not be null");
            return this;
        }

        /**
         * Monitors a region's database: its WAL senders, slots and subscriptions.
         *
         * @param region the region
         * @param dataSource a data source whose role has {@code pg_monitor} (or is a superuser)
         * @return this builder
         */
        public Builder region(Region region, DataSource dataSource) {
            Objects.requireNonNull(region, "monitor.region must not be null");
            Objects.requireNonNull(dataSource, () -> "monitor.regions." + region + " must not be null");
            if (regions.putIfAbsent(region, dataSource) != null) {
                throw new InvalidConfigurationException("monitor.regions." + region, region,
                        "monitor.regions." + region + ": region must be added once, but was added twice");
            }
            return this;
        }

        /**
         * Monitors a streaming standby (read replica) of a region's database.
         *
         * @param primary the region of its primary
         * @param name a unique name for events and metrics, such as {@code eu-replica-1}
         * @param dataSource a data source on the standby
         * @return this builder
         */
        public Builder standby(Region primary, String name, DataSource dataSource) {
            Objects.requireNonNull(primary, "monitor.standby.primary must not be null");
            if (name == null || name.isBlank()) {
                throw new InvalidConfigurationException("monitor.standby.name", name, "monitor.standby.name must not be blank, but was "
                        + (name == null ? "null" : "\"" + name + "\""));
            }
            Objects.requireNonNull(dataSource, () -> "monitor.standby(" + name + ").dataSource must not be null");
            if (standbys.stream().anyMatch(s -> s.name().equals(name))) {
                throw new InvalidConfigurationException("monitor.standby.name", name,
                        "monitor.standby.name must be unique, but " + name + " was added twice");
            }
            standbys.add(new StatusPoll.StandbyTarget(primary, name, dataSource));
            return this;
        }

        /**
         * Declares the subscriptions that must exist, so that a missing one is reported as broken.
         * Subscriptions found in the monitored regions are watched anyway.
         *
         * @param setup the setup of a {@link LogicalReplication}
         * @return this builder
         */
        public Builder expect(ReplicationSetup setup) {
            Objects.requireNonNull(setup, "monitor.expect must not be null");
            expected.addAll(setup.subscriptions());
            return this;
        }

        /**
         * Sets the poll interval. Default 10 s.
         *
         * @param interval at least 100 ms
         * @return this builder
         */
        public Builder interval(Duration interval) {
            this.interval = Bounds.duration("monitor.interval", interval, Duration.ofMillis(100), Duration.ofHours(1));
            return this;
        }

        /**
         * Sets the statement timeout of each query, rounded up to whole seconds. Default 5 s.
         *
         * @param timeout at least 1 s
         * @return this builder
         */
        public Builder queryTimeout(Duration timeout) {
            this.queryTimeout = Bounds.duration("monitor.queryTimeout", timeout, Duration.ofSeconds(1), Duration.ofMinutes(10));
            return this;
        }

        /**
         * Sets the lag above which {@link ReplicationLagHighEvent} is raised. Default 300 s.
         *
         * @param highLag positive
         * @return this builder
         */
        public Builder highLag(Duration highLag) {
            this.highLag = Bounds.duration("monitor.highLag", highLag, Duration.ofMillis(1), Duration.ofDays(30));
            return this;
        }

        /**
         * Sets the WAL one slot may retain before {@link SlotRetentionHighEvent}. Default 1 GiB.
         *
         * @param bytes at least 1
         * @return this builder
         */
        public Builder slotRetentionThreshold(long bytes) {
            Bounds.count("monitor.slotRetentionThreshold", bytes, 1, 1L << 40);
            this.slotRetentionThreshold = bytes;
            return this;
        }

        /**
         * Sets how long a transient problem (worker or sender gone, database not answering) must last
         * before a link counts as broken. Default 30 s. Missing or disabled subscriptions count at once.
         *
         * @param brokenAfter zero or more
         * @return this builder
         */
        public Builder brokenAfter(Duration brokenAfter) {
            this.brokenAfter = Bounds.duration("monitor.brokenAfter", brokenAfter, Duration.ZERO, Duration.ofHours(24));
            return this;
        }

        /**
         * Sets the clock that times polls and grace periods. Default UTC system clock.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "monitor.clock must not be null");
            return this;
        }

        /**
         * Sets the scheduler that runs the polls; the monitor does not shut it down. Default: a
         * daemon thread of the monitor's own.
         *
         * @param scheduler the scheduler
         * @return this builder
         */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "monitor.scheduler must not be null");
            return this;
        }

        /**
         * Adds an event listener.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(RegionEventListener listener) {
            listeners.add(Objects.requireNonNull(listener, "monitor.listener must not be null"));
            return this;
        }

        /**
         * Publishes gauges to a Micrometer {@code MeterRegistry}, see {@link ReplicationMetrics}.
         * Typed as {@code Object} so that the monitor works without Micrometer on the class path.
         *
         * @param meterRegistry an {@code io.micrometer.core.instrument.MeterRegistry}
         * @return this builder
         * @throws InvalidConfigurationException if Micrometer is absent or the object is no MeterRegistry
         */
        public Builder meterRegistry(Object meterRegistry) {
            Objects.requireNonNull(meterRegistry, "monitor.meterRegistry must not be null");
            if (!MicrometerSupport.isPresent()) {
                throw new InvalidConfigurationException("monitor.meterRegistry", meterRegistry.getClass().getName(),
                        "monitor.meterRegistry needs micrometer-core on the class path, but it is absent");
            }
            if (!MicrometerSupport.isMeterRegistry(meterRegistry)) {
                throw new InvalidConfigurationException("monitor.meterRegistry", meterRegistry.getClass().getName(),
                        "monitor.meterRegistry must be an io.micrometer.core.instrument.MeterRegistry, but was "
                                + meterRegistry.getClass().getName());
            }
            this.meterRegistry = meterRegistry;
            return this;
        }

        /**
         * Builds the monitor; call {@link ReplicationMonitor#start()} to start polling.
         *
         * @return the monitor
         * @throws InvalidConfigurationException if nothing is monitored
         */
        public ReplicationMonitor build() {
            if (regions.isEmpty() && standbys.isEmpty()) {
                throw new InvalidConfigurationException("monitor.regions", "[]",
                        "monitor.regions must name at least one region or standby, but was empty");
            }
            ReplicationMonitor monitor = new ReplicationMonitor(this);
            if (meterRegistry != null) {
                MicrometerSupport.bind(monitor, meterRegistry);
            }
            return monitor;
        }
    }
}
