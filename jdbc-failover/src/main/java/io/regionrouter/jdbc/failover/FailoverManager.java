package io.regionrouter.jdbc.failover;

import com.github.benmanes.caffeine.cache.Ticker;
import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionEvent;
import io.regionrouter.core.RegionEventListener;
import io.regionrouter.core.support.EventDispatcher;
import io.regionrouter.jdbc.RegionalDataSources;
import io.regionrouter.jdbc.failover.internal.Confirmation;
import io.regionrouter.jdbc.failover.internal.FailoverEventPublisher;
import io.regionrouter.jdbc.failover.internal.FailoverThreads;
import io.regionrouter.jdbc.failover.internal.FenceWatcher;
import io.regionrouter.jdbc.failover.internal.FleetGate;
import io.regionrouter.jdbc.failover.internal.Followers;
import io.regionrouter.jdbc.failover.internal.JdbcPgAdmin;
import io.regionrouter.jdbc.failover.internal.PgAdmin;
import io.regionrouter.jdbc.failover.internal.Promotion;
import io.regionrouter.jdbc.failover.internal.RegionFailovers;
import io.regionrouter.jdbc.failover.internal.ResidencyGuard;
import io.regionrouter.jdbc.failover.internal.WalSampler;
import io.regionrouter.jdbc.failover.internal.WatchedProbe;
import java.time.Clock;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an application instance writing to the current primary of each region, and, when allowed,
 * promotes a region's standby once for the whole fleet.
 *
 * <pre>{@code
 * FailoverManager failover = FailoverManager.builder(pg)      // the RegionalDataSources
 *     .group(usGroup)                                          // primary, standby, their pools, replicas
 *     .coordinator(CuratorCoordinator.builder(zk).instanceName(pod).build())   // opt-in automatic promotion
 *     .listener(event -> log.warn("{}", event))
 *     .build();                                                // finds the primaries, then follows them
 * FailoverReport drill = failover.drill(us);                   // the quarterly drill, as code
 * }</pre>
 *
 * <ol>
 *   <li><b>Follow</b> (always). Every {@link FailoverConfig#followInterval()} each server of a group
 *       is asked whether it is in recovery or read-only, and for its {@link PrimaryIdentity} (system
 *       identifier, timeline, epoch). The region's pool of {@link RegionalDataSources} is switched to
 *       the one writable server at the highest identity, whoever promoted it, or the region's
 *       connections are refused when no server can be proven to be it ({@link PrimaryFollowedEvent},
 *       {@link WritesRefusedEvent}). {@link Builder#build()} runs the first round before it returns.
 *       Replicas named in the group are read only while they stream the primary's timeline and epoch.</li>
 *   <li><b>Detection.</b> Each primary is probed by a {@link io.regionrouter.core.RegionHealth} of the
 *       manager's own, with {@link FailoverConfig#health()} (default 250 ms × 8: detects within 3 s and
 *       ignores 10 % probe loss). A DOWN is then confirmed by {@link FailoverConfig#confirmations()}
 *       direct probes; any answer, an SQL error included, calls it off ({@link FailoverAbortedEvent}).</li>
 *   <li><b>Decision.</b> Automatic promotion needs a {@link Coordinator} (only its lease holder
 *       promotes, and only when every live instance reports the primary unreachable) or
 *       {@link Builder#singleInstance()}; otherwise the manager only follows and says so at start.</li>
 *   <li><b>Residency.</b> A standby in a region that may not hold the region's REGULATED data is
 *       refused: at {@link Builder#build()} already, and again before any promotion.</li>
 *   <li><b>Promotion.</b> {@link PromotionListener#beforePromotion} hooks run; a primary that still
 *       answers is fenced read-only (always under a coordinator, and for switchovers and drills);
 *       then {@code pg_promote(wait => true)}, idempotently (an already promoted standby counts); the
 *       epoch is recorded on the new primary; the region follows it; a first write is timed;
 *       {@link PromotionListener#afterPromotion} hooks run and a {@link FailoverCompletedEvent} is
 *       raised. A failed promotion is retried while the primary stays down.</li>
 *   <li><b>Old primary.</b> It is on an older timeline, so it is never written again. The manager
 *       keeps probing it; when it is back and writable, it raises an {@link OldPrimaryReturnedEvent}
 *       and calls the {@link OldPrimaryHandler} (default: report only).</li>
 * </ol>
 *
 * <p><b>Durability.</b> With {@link Durability#SYNCHRONOUS} no acknowledged write is lost (RPO 0),
 * and the report says whether the primary's settings were verified. With
 * {@link Durability#ASYNCHRONOUS} the report gives the WAL the standby had not received: exact when
 * the old primary was fenced (the standby waits for its last WAL, so usually 0), a lower bound from
 * the last {@link FailoverConfig#sampleInterval() sample} when it was dead.
 *
 * <p>Thread-safe. Promotions run one at a time on a thread of the manager's own, follow rounds on
 * another; {@link #close()} stops everything the manager started, but neither the coordinator's
 * client nor the pools now serving the regions (the {@link RegionalDataSources} closes those).
 */
public final class FailoverManager implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FailoverManager.class);

    private final RegionalDataSources pg;
    private final FailoverConfig config;
    private final Map<Region, FailoverGroup> groups;
    private final LongSupplier ticker;
    private final EventDispatcher events;
    private final EventPublisher publisher;
    private final FailoverThreads threads = new FailoverThreads();
    private final PgAdmin admin;
    private final WalSampler sampler;
    private final FenceWatcher fences;
    private final RegionFailovers failovers;
    private final Followers followers;
    private final FleetGate gate;
    private final boolean automatic;

    private FailoverManager(Builder b) {
        this.pg = b.pg;
        this.config = b.config;
        this.groups = Map.copyOf(b.groups);
        this.ticker = b.ticker;
        this.events = b.events;
        this.publisher = new FailoverEventPublisher(events);
        this.admin = new JdbcPgAdmin(threads.pings());
        this.sampler = new WalSampler(admin);
        this.fences = new FenceWatcher(admin, b.oldPrimaryHandler, events);
        Confirmation confirmation = new Confirmation(admin, config.confirmations(), config.confirmationTimeout(),
                config.confirmationInterval());
        this.gate = new FleetGate(b.coordinator, admin);
        this.automatic = config.automatic() && (b.coordinator != null || b.singleInstance);
        this.followers = new Followers(pg, config, admin, threads, events, ticker);
        Promotion promotion = new Promotion(new Promotion.Context(pg, config, admin, sampler, fences, events,
                List.copyOf(b.promotionListeners), ticker, b.clock, followers::await, b.instanceName, gate.coordinated(),
                gate::entitled));
        this.failovers = new RegionFailovers(new RegionFailovers.Parts(pg, config, groups, events, ticker, threads, admin,
                sampler, confirmation, promotion, followers, gate, automatic));
    }

    private void start() throws InterruptedException {
        if (config.automatic() && !automatic) {
            LOG.warn("region-router failover: automatic promotion is OFF for {}: no Coordinator is configured and the application"
                    + " did not declare itself a single instance (FailoverManager.Builder.singleInstance()). Several instances"
                    + " promoting on their own views split the brain; this instance only follows promotions made elsewhere.",
                    groups.keySet());
        }
        for (FailoverGroup g : groups.values()) {
            followers.start(g);
            gate.join(g.region());
        }
        followers.schedule(failovers::afterFollowRound);
        for (FailoverGroup g : groups.values()) {
            failovers.watch(g);
        }
        long period = config.sampleInterval().toMillis();
        threads.sampler().scheduleWithFixedDelay(this::sampleAndWatch, 0, period, TimeUnit.MILLISECONDS);
        LOG.info("region-router failover watching {} with {} (worst-case detection {})", groups.values(), config,
                config.worstCaseDetection());
    }

    /**
     * Starts a builder.
     *
     * @param pg the data sources whose regions fail over
     * @return a new builder
     */
    public static Builder builder(RegionalDataSources pg) {
        return new Builder(Objects.requireNonNull(pg, "pg must not be null"));
    }

    /**
     * Fails a region over now, without detection or confirmation: an operator's decision. If the old
     * primary still answers it is fenced first (switchover). Blocks until done.
     *
     * @param region a region with a {@link FailoverGroup}
     * @return the report
     * @throws FailoverRefusedException if the standby breaks residency
     * @throws FailoverException if the region has failed over already, a step failed, or a listener vetoed
     */
    public FailoverReport failover(Region region) {
        return failovers.manual(group(region));
    }

    /**
     * The failover drill: a controlled switchover through the real detection path. The primary's
     * probes are made to fail (the primary itself keeps running) until the monitor and the
     * confirmation find it DOWN; then the old primary is fenced read-only, the standby catches up, is
     * promoted and takes the region's writes. Blocks until done.
     *
     * @param region a region with a {@link FailoverGroup}
     * @return the report: detection, promotion and first-write times, and the WAL lost (exact)
     * @throws FailoverRefusedException if the standby breaks residency
     * @throws FailoverException if the region is not ready for a drill (failed over already, primary
     *     not answering, standby not in recovery), a step failed or the drill timed out
     */
    public FailoverReport drill(Region region) {
        return failovers.drill(group(region));
    }

    /** The number of times this instance switched the region's connections (to a server, or to refusing them): 0 at start. */
    public long epoch(Region region) {
        return pg.epoch(region);
    }

    /**
     * The identity of the region's primary this instance writes to, once confirmed; empty while it
     * refuses the region's connections or has not yet confirmed one.
     */
    public Optional<PrimaryIdentity> primary(Region region) {
        group(region);
        return followers.of(region).confirmedIdentity();
    }

    /** The name of the server this instance writes the region's data to, once confirmed. */
    public Optional<String> primaryServer(Region region) {
        group(region);
        return followers.of(region).confirmed();
    }

    /** Whether this instance may promote on its own detection: configured so, and coordinated or a declared single instance. */
    public boolean automaticPromotion() {
        return automatic;
    }

    /** The report of the region's failover, if it failed over. */
    public Optional<FailoverReport> lastReport(Region region) {
        return failovers.report(region);
    }

    /** Counts of the manager's probes of the region's primary; they stop growing once the region has failed over. */
    public ProbeStats probeStats(Region region) {
        group(region);
        WatchedProbe p = failovers.probe(region);
        return p == null ? new ProbeStats(0, 0) : new ProbeStats(p.successes(), p.failures());
    }

    /** The configuration. */
    public FailoverConfig config() {
        return config;
    }

    /** Stops watching and failing over. Does not close the pools that serve the regions. Idempotent. */
    @Override
    public void close() {
        failovers.close();
        threads.close();
        followers.close();
    }

    @Override
    public String toString() {
        return "FailoverManager[" + groups.values() + ", " + failovers + "]";
    }

    private FailoverGroup group(Region region) {
        Objects.requireNonNull(region, "region must not be null");
        FailoverGroup g = groups.get(region);
        if (g == null) {
            throw new IllegalArgumentException("region " + region + " has no failover group; configured: " + groups.keySet());
        }
        return g;
    }

    private void sampleAndWatch() {
        sampler.sampleAll();
        fences.checkAll();
    }

    /**
     * The failover events, to subscribe to by type. Consumers run on the manager's threads and must be
     * fast; events raised while {@code build()} runs reach only the builder's listeners.
     *
     * @return the publisher
     */
    public EventPublisher eventPublisher() {
        return publisher;
    }

    /** The events of a {@link FailoverManager}. */
    public interface EventPublisher extends io.regionrouter.core.EventPublisher {

        /**
         * Subscribes to: the region was found following a (new) primary, its pool switched if needed.
         *
         * @param consumer the consumer
         * @return this publisher
         */
        EventPublisher onPrimaryFollowed(Consumer<? super PrimaryFollowedEvent> consumer);

        /**
         * Subscribes to: the watched primary went DOWN or came back UP.
         *
         * @param consumer the consumer
         * @return this publisher
         */
        EventPublisher onPrimaryHealthChanged(Consumer<? super PrimaryHealthChangedEvent> consumer);

        /**
         * Subscribes to: a region refuses writes because no server can be proven to be its primary.
         *
         * @param consumer the consumer
         * @return this publisher
         */
        EventPublisher onWritesRefused(Consumer<? super WritesRefusedEvent> consumer);

        /**
         * Subscribes to: a standby was promoted and the region switched to it, with the report.
         *
         * @param consumer the consumer
         * @return this publisher
         */
        EventPublisher onFailoverCompleted(Consumer<? super FailoverCompletedEvent> consumer);

        /**
         * Subscribes to: a failover step failed.
         *
         * @param consumer the consumer
         * @return this publisher
         */
        EventPublisher onFailoverFailed(Consumer<? super FailoverFailedEvent> consumer);

        /**
         * Subscribes to: a failover was called off, for example when the primary was not confirmed DOWN.
         *
         * @param consumer the consumer
         * @return this publisher
         */
        EventPublisher onFailoverAborted(Consumer<? super FailoverAbortedEvent> consumer);

        /**
         * Subscribes to: a standby the residency rules do not allow was refused.
         *
         * @param consumer the consumer
         * @return this publisher
         */
        EventPublisher onFailoverRefused(Consumer<? super FailoverRefusedEvent> consumer);

        /**
         * Subscribes to: a former primary is back, with how far its WAL runs past the promotion.
         *
         * @param consumer the consumer
         * @return this publisher
         */
        EventPublisher onOldPrimaryReturned(Consumer<? super OldPrimaryReturnedEvent> consumer);

        @Override
        EventPublisher onEvent(RegionEventListener listener);

        @Override
        <T extends RegionEvent> EventPublisher on(Class<T> type, Consumer<? super T> consumer);
    }

    /** Builder of {@link FailoverManager}. Not thread-safe. */
    public static final class Builder {
        private final RegionalDataSources pg;
        private final Map<Region, FailoverGroup> groups = new LinkedHashMap<>();
        private final List<PromotionListener> promotionListeners = new ArrayList<>();
        private final EventDispatcher events = new EventDispatcher("region-router-failover", List.of());
        private FailoverConfig config = FailoverConfig.defaults();
        private Coordinator coordinator;
        private boolean singleInstance;
        private String instanceName = defaultInstanceName();
        private OldPrimaryHandler oldPrimaryHandler = OldPrimaryHandler.reportOnly();
        private LongSupplier ticker = System::nanoTime;
        private InstantSource clock = Clock.systemUTC();

        private Builder(RegionalDataSources pg) {
            this.pg = pg;
        }

        /**
         * Adds a region's failover group.
         *
         * @param group the group
         * @return this builder
         * @throws InvalidConfigurationException if its region is not configured in the data sources, or has a group already
         */
        public Builder group(FailoverGroup group) {
            Objects.requireNonNull(group, "failover.group must not be null");
            Region region = group.region();
            if (!pg.regions().contains(region)) {
                throw new InvalidConfigurationException("failover." + region, region, "failover." + region
                        + ": region must be one of the data sources' regions " + pg.regions() + ", but was " + region);
            }
            for (PgEndpoint r : group.replicas()) {
                if (!pg.replicas(region).contains(r.name())) {
                    throw new InvalidConfigurationException("failover." + region + ".replica", r.name(), "failover." + region
                            + ".replica: " + r.name() + " must be one of the data sources' replicas of " + region + " "
                            + pg.replicas(region) + ", but is not");
                }
            }
            if (groups.containsKey(region)) {
                throw new InvalidConfigurationException("failover." + region, region,
                        "failover." + region + ": region must have one failover group, but was given two");
            }
            groups.put(region, group);
            return this;
        }

        /**
         * Lets the fleet promote automatically, once: only the holder of the coordinator's lease
         * promotes, after fencing the old primary when it answers, and only when no live instance
         * still reaches the primary. Without a coordinator (and without {@link #singleInstance()})
         * this instance only follows promotions made elsewhere.
         */
        public Builder coordinator(Coordinator coordinator) {
            this.coordinator = Objects.requireNonNull(coordinator, "failover.coordinator must not be null");
            return this;
        }

        /**
         * Declares that this application runs as one instance, so that it may promote on its own
         * detection without a coordinator. Wrong for a fleet: two instances that each promote on
         * their own view split the brain.
         */
        public Builder singleInstance() {
            this.singleInstance = true;
            return this;
        }

        /** Names this instance in the epoch record it writes on a primary it promoted. Default: host name and process id. */
        public Builder instanceName(String name) {
            if (name == null || !name.matches("[A-Za-z0-9_.@-]{1,128}")) {
                throw new IllegalArgumentException("failover.instanceName must match [A-Za-z0-9_.@-]{1,128}, but was "
                        + (name == null ? "null" : "\"" + (name.length() > 64 ? name.substring(0, 64) + "..." : name) + "\""));
            }
            this.instanceName = name;
            return this;
        }

        private static String defaultInstanceName() {
            String host;
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                host = "unknown-host";
            }
            return (host + "-" + ProcessHandle.current().pid()).replaceAll("[^A-Za-z0-9_.@-]", "_");
        }

        /** Sets the configuration. Default {@link FailoverConfig#defaults()}. */
        public Builder config(FailoverConfig config) {
            this.config = Objects.requireNonNull(config, "failover.config must not be null");
            return this;
        }

        /**
         * Adds a listener for this package's events. It is called on the manager's threads and must be
         * quick; exceptions it throws are logged and ignored.
         */
        public Builder listener(RegionEventListener listener) {
            events.add(Objects.requireNonNull(listener, "failover.listener must not be null"));
            return this;
        }

        /** Adds hooks that run before and after each promotion. */
        public Builder promotionListener(PromotionListener listener) {
            promotionListeners.add(Objects.requireNonNull(listener, "failover.promotionListener must not be null"));
            return this;
        }

        /** Sets what happens to a returning old primary. Default {@link OldPrimaryHandler#reportOnly()}. */
        public Builder oldPrimaryHandler(OldPrimaryHandler handler) {
            this.oldPrimaryHandler = Objects.requireNonNull(handler, "failover.oldPrimaryHandler must not be null");
            return this;
        }

        /** Sets the elapsed-time source of the monitor and the reports, for tests. Default {@link Ticker#systemTicker()}. */
        public Builder ticker(Ticker ticker) {
            Objects.requireNonNull(ticker, "failover.ticker must not be null");
            this.ticker = ticker::read;
            return this;
        }

        /** Sets the wall clock of the reports. Default UTC system clock. */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "failover.clock must not be null");
            return this;
        }

        /**
         * Checks the groups and starts watching the primaries.
         *
         * @return the running manager
         * @throws IllegalStateException if no group was added
         * @throws FailoverRefusedException if a group's standby breaks residency; a
         *     {@link FailoverRefusedEvent} is raised first and nothing starts
         */
        public FailoverManager build() {
            if (groups.isEmpty()) {
                throw new IllegalStateException("failover.groups must name at least one region, but none was added");
            }
            if (coordinator != null && singleInstance) {
                throw new IllegalStateException("failover.singleInstance and failover.coordinator exclude each other, but both were set");
            }
            for (FailoverGroup g : groups.values()) {
                try {
                    ResidencyGuard.check(pg.router().topology(), g);
                } catch (FailoverRefusedException e) {
                    LOG.error("region-router failover: {}", e.getMessage());
                    events.publish(new FailoverRefusedEvent(g.region(), g.standby().name(), g.standby().location()));
                    throw e;
                }
            }
            FailoverManager manager = new FailoverManager(this);
            try {
                manager.start();
            } catch (RuntimeException e) {
                manager.close();
                throw e;
            } catch (InterruptedException e) {
                manager.close();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while finding the regions' primaries", e);
            }
            return manager;
        }
    }
}
