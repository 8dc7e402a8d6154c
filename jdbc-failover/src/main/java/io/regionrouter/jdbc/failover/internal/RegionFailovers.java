package io.regionrouter.jdbc.failover.internal;

import io.micrometer.observation.Observation;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionState;
import io.regionrouter.core.RegionStateChangedEvent;
import io.regionrouter.core.support.EventDispatcher;
import io.regionrouter.jdbc.RegionalDataSources;
import io.regionrouter.jdbc.failover.FailoverAbortedEvent;
import io.regionrouter.jdbc.failover.FailoverConfig;
import io.regionrouter.jdbc.failover.FailoverException;
import io.regionrouter.jdbc.failover.FailoverGroup;
import io.regionrouter.jdbc.failover.FailoverObservation;
import io.regionrouter.jdbc.failover.FailoverReport;
import io.regionrouter.jdbc.failover.PrimaryHealthChangedEvent;
import io.regionrouter.jdbc.failover.Trigger;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each region's way from a DOWN primary to a promoted standby, one region at a time: detection hands
 * over to the failover thread, the primary's death is confirmed, the fleet is asked, and the promotion
 * runs inside its observation; a region fails over once. Also the operator's paths in: a manual
 * failover and a drill. The manager wires it; this class holds the per-region phase.
 */
public final class RegionFailovers {

    private static final Logger LOG = LoggerFactory.getLogger(RegionFailovers.class);

    private enum Phase { WATCHING, FAILING_OVER, DONE }

    /** What the manager shares with it. */
    public record Parts(RegionalDataSources pg, FailoverConfig config, Map<Region, FailoverGroup> groups,
            EventDispatcher events, LongSupplier ticker, FailoverThreads threads, PgAdmin admin, WalSampler sampler,
            Confirmation confirmation, Promotion promotion, Followers followers, FleetGate gate, boolean automatic) {
    }

    private final RegionalDataSources pg;
    private final FailoverConfig config;
    private final Map<Region, FailoverGroup> groups;
    private final EventDispatcher events;
    private final LongSupplier ticker;
    private final FailoverThreads threads;
    private final PgAdmin admin;
    private final WalSampler sampler;
    private final Confirmation confirmation;
    private final Promotion promotion;
    private final Followers followers;
    private final FleetGate gate;
    private final boolean automatic;
    private final Detector detector;
    private final Map<Region, Phase> phases = new ConcurrentHashMap<>();
    private final Map<Region, FailoverReport> reports = new ConcurrentHashMap<>();
    private final Map<Region, CompletableFuture<FailoverReport>> drills = new ConcurrentHashMap<>();
    private final Map<Region, Long> drillStarts = new ConcurrentHashMap<>();

    /**
     * Creates the state machine and its detector; nothing is watched until {@link #watch}.
     *
     * @param parts what the manager shares
     */
    public RegionFailovers(Parts parts) {
        this.pg = parts.pg();
        this.config = parts.config();
        this.groups = parts.groups();
        this.events = parts.events();
        this.ticker = parts.ticker();
        this.threads = parts.threads();
        this.admin = parts.admin();
        this.sampler = parts.sampler();
        this.confirmation = parts.confirmation();
        this.promotion = parts.promotion();
        this.followers = parts.followers();
        this.gate = parts.gate();
        this.automatic = parts.automatic();
        this.detector = new Detector(config.health(), ticker, this::onDown, this::onChange);
    }

    /**
     * Starts watching a region's primary.
     *
     * @param group the region's group
     */
    public void watch(FailoverGroup group) {
        phases.put(group.region(), Phase.WATCHING);
        sampler.watch(group.region(), group.primary());
        detector.watch(group.region(), group.primary(), admin);
    }

    /** The region's primary probe, or null. */
    public WatchedProbe probe(Region region) {
        return detector.probe(region);
    }

    /** The region's failover report, if it failed over. */
    public Optional<FailoverReport> report(Region region) {
        return Optional.ofNullable(reports.get(region));
    }

    /** Stops detecting. */
    public void close() {
        detector.close();
    }

    @Override
    public String toString() {
        return "phases=" + phases;
    }

    /**
     * Fails a region over now, on an operator's decision: no detection, no confirmation.
     *
     * @param group the region's group
     * @return the report
     */
    public FailoverReport manual(FailoverGroup group) {
        Region region = group.region();
        return threads.call(region, () -> {
            if (!phases.replace(region, Phase.WATCHING, Phase.FAILING_OVER)) {
                throw new FailoverException(region, "region " + region + " is failing over or has failed over already ("
                        + phases.get(region) + ")", null);
            }
            return runPromotion(group, Trigger.MANUAL, 0);
        }, config.promoteTimeout().plus(config.catchUpTimeout()).plusSeconds(30));
    }

    /**
     * Runs a drill through the real detection path; see {@link io.regionrouter.jdbc.failover.FailoverManager#drill}.
     *
     * @param group the region's group
     * @return the report
     */
    public FailoverReport drill(FailoverGroup group) {
        Region region = group.region();
        if (phases.get(region) != Phase.WATCHING || detector.state(region) != RegionState.UP) {
            throw new FailoverException(region, "region " + region + " is not ready for a drill: phase " + phases.get(region)
                    + ", primary " + detector.state(region), null);
        }
        try {
            if (!admin.isInRecovery(group.standby())) {
                throw new FailoverException(region, "drill of region " + region + ": " + group.standby().name()
                        + " must be a standby (in recovery), but is not", null);
            }
            if (admin.writableLsn(group.primary()) < 0) {
                throw new FailoverException(region, "drill of region " + region + ": " + group.primary().name()
                        + " must be a writable primary, but is in recovery", null);
            }
        } catch (SQLException e) {
            throw new FailoverException(region, "drill of region " + region + ": primary and standby must both answer", e);
        }
        CompletableFuture<FailoverReport> done = new CompletableFuture<>();
        if (drills.putIfAbsent(region, done) != null) {
            throw new FailoverException(region, "a drill of region " + region + " is already running", null);
        }
        WatchedProbe probe = detector.probe(region);
        drillStarts.put(region, ticker.getAsLong());
        probe.simulateOutage(true);
        Duration limit = config.worstCaseDetection().plus(config.promoteTimeout()).plus(config.catchUpTimeout()).plusSeconds(30);
        try {
            return FailoverThreads.await(region, done, limit);
        } finally {
            probe.simulateOutage(false);
            drills.remove(region);
            drillStarts.remove(region);
        }
    }

    /** A standby the region follows was promoted elsewhere: nothing is left to promote from this group. */
    public void afterFollowRound(Region region, Follower f) {
        String standby = groups.get(region).standby().name();
        if (f.confirmed().filter(standby::equals).isPresent() && phases.replace(region, Phase.WATCHING, Phase.DONE)) {
            LOG.warn("region-router failover: {} was promoted elsewhere; region {} follows it", standby, region);
            detector.stop(region);
            sampler.stop(region);
        }
    }

    void onChange(RegionStateChangedEvent change) {
        FailoverGroup g = groups.get(change.region());
        if (g != null) {
            events.publish(new PrimaryHealthChangedEvent(change.region(), g.primary().name(), change.to(), change.lastFailure()));
            gate.report(change.region(), change.to() != RegionState.DOWN);
        }
    }

    /** On a probe thread: hand over to the failover thread at once. */
    void onDown(Region region) {
        if (!automatic && !drills.containsKey(region)) {
            LOG.warn("region-router failover: primary of {} is DOWN; automatic promotion is off, following only", region);
            return;
        }
        try {
            threads.failover().execute(() -> confirmAndFailOver(region));
        } catch (RejectedExecutionException e) {
            LOG.debug("region-router failover: closed; ignoring DOWN of {}", region);
        }
    }

    private void confirmAndFailOver(Region region) {
        FailoverGroup group = groups.get(region);
        if (phases.get(region) != Phase.WATCHING || detector.state(region) != RegionState.DOWN) {
            return;
        }
        WatchedProbe probe = detector.probe(region);
        Optional<String> notConfirmed;
        try {
            notConfirmed = confirmation.confirm(group.primary(), probe::simulatingOutage);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (notConfirmed.isPresent()) {
            LOG.warn("region-router failover of region {} called off: {}", region, notConfirmed.get());
            events.publish(new FailoverAbortedEvent(region, notConfirmed.get()));
            recheckLater(region);
            return;
        }
        Long drillStart = drillStarts.get(region);
        boolean drill = drillStart != null && probe.simulatingOutage();
        long detection = ticker.getAsLong() - (drill ? drillStart : probe.lastSuccessNanos());
        if (!drill && !gate.fleetAgrees(region)) {
            // the other instances' views arrive within a probe interval or two: ask again soon
            recheckLater(region, config.followInterval());
            return;
        }
        if (!phases.replace(region, Phase.WATCHING, Phase.FAILING_OVER)) {
            return;
        }
        CompletableFuture<FailoverReport> waiting = drills.get(region);
        try {
            FailoverReport report = runPromotion(group, drill ? Trigger.DRILL : Trigger.DETECTED, detection);
            if (waiting != null) {
                waiting.complete(report);
            }
        } catch (RuntimeException e) {
            if (waiting != null) {
                waiting.completeExceptionally(e);
            }
            LOG.error("region-router failover of region {} did not complete; retrying while the primary stays down", region, e);
            recheckLater(region);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (waiting != null) {
                waiting.completeExceptionally(e);
            }
        }
    }

    /** While the primary stays DOWN without being confirmed dead, confirm again every sample interval. */
    private void recheckLater(Region region) {
        recheckLater(region, config.sampleInterval());
    }

    private void recheckLater(Region region, Duration after) {
        try {
            threads.failover().schedule(() -> confirmAndFailOver(region), after.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("region-router failover: closed; no recheck of {}", region);
        }
    }

    /**
     * On the failover thread, with the phase FAILING_OVER: the promotion inside its observation
     * ({@link FailoverObservation#FAILOVER}), whose scope is open so each phase is its child.
     */
    private FailoverReport runPromotion(FailoverGroup group, Trigger trigger, long detection) throws InterruptedException {
        Region region = group.region();
        Observation observation = Observation.createNotStarted(FailoverObservation.FAILOVER.getName(),
                        pg.router().observationRegistry())
                .contextualName("failover " + region.id())
                .lowCardinalityKeyValue(FailoverObservation.Keys.STORE.asString(), pg.store().name())
                .lowCardinalityKeyValue(FailoverObservation.Keys.REGION.asString(), region.id())
                .lowCardinalityKeyValue(FailoverObservation.Keys.TRIGGER.asString(), trigger.name().toLowerCase(Locale.ROOT))
                .highCardinalityKeyValue(FailoverObservation.Keys.FROM.asString(), group.primary().name())
                .highCardinalityKeyValue(FailoverObservation.Keys.TO.asString(), group.standby().name())
                .highCardinalityKeyValue(FailoverObservation.Keys.DETECTION.asString(),
                        Long.toString(TimeUnit.NANOSECONDS.toMillis(Math.max(0, detection))))
                .start();
        try (Observation.Scope scope = observation.openScope()) {
            FailoverReport report = promote(group, trigger, detection);
            observation.lowCardinalityKeyValue(FailoverObservation.Keys.OUTCOME.asString(), "completed");
            return report;
        } catch (RuntimeException | InterruptedException e) {
            observation.lowCardinalityKeyValue(FailoverObservation.Keys.OUTCOME.asString(), "failed").error(e);
            throw e;
        } finally {
            observation.stop();
        }
    }

    private FailoverReport promote(FailoverGroup group, Trigger trigger, long detection) throws InterruptedException {
        Region region = group.region();
        long epochBefore = pg.epoch(region);
        try {
            FailoverReport report = promotion.run(group, trigger, detection,
                    gate.nextEpoch(group, followers.of(region).highestSeen()));
            reports.put(region, report);
            phases.put(region, Phase.DONE);
            detector.stop(region);
            sampler.stop(region);
            return report;
        } catch (RuntimeException | InterruptedException e) {
            if (followers.of(region).confirmed().filter(group.standby().name()::equals).isPresent()) {
                // the region follows the standby already: it is the primary now; never fail over again from this group
                phases.put(region, Phase.DONE);
                detector.stop(region);
                sampler.stop(region);
            } else {
                phases.put(region, Phase.WATCHING);
            }
            throw e;
        }
    }
}
