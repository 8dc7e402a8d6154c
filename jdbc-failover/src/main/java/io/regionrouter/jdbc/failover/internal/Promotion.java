package io.regionrouter.jdbc.failover.internal;

import io.regionrouter.core.Region;
import io.regionrouter.core.support.EventDispatcher;
import io.regionrouter.jdbc.RegionalDataSources;
import io.micrometer.observation.Observation;
import io.regionrouter.jdbc.failover.Durability;
import io.regionrouter.jdbc.failover.FailoverObservation;
import io.regionrouter.jdbc.failover.FailoverAbortedEvent;
import io.regionrouter.jdbc.failover.FailoverCompletedEvent;
import io.regionrouter.jdbc.failover.FailoverConfig;
import io.regionrouter.jdbc.failover.FailoverException;
import io.regionrouter.jdbc.failover.FailoverFailedEvent;
import io.regionrouter.jdbc.failover.FailoverGroup;
import io.regionrouter.jdbc.failover.FailoverRefusedEvent;
import io.regionrouter.jdbc.failover.FailoverRefusedException;
import io.regionrouter.jdbc.failover.FailoverReport;
import io.regionrouter.jdbc.failover.PgEndpoint;
import io.regionrouter.jdbc.failover.PromotionListener;
import io.regionrouter.jdbc.failover.Trigger;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of one failover: residency check, before-listeners, fencing of a primary that still
 * answers (a switchover, or any promotion under a coordinator), an idempotent
 * {@code pg_promote(wait => true)}, the writability check, the epoch recorded on the new primary,
 * the region following it (the same path that follows anyone else's promotion), the first write,
 * the report and the after-listeners. Runs on the manager's failover thread, one failover at a time.
 */
public final class Promotion {

    private static final Logger LOG = LoggerFactory.getLogger(Promotion.class);

    /** What a promotion works with. */
    public record Context(RegionalDataSources pg, FailoverConfig config, PgAdmin admin, WalSampler sampler, FenceWatcher fences,
            EventDispatcher events, List<PromotionListener> listeners, LongSupplier ticker, InstantSource clock,
            FollowHook follow, String instanceName, boolean fenceBeforeAutomaticPromotion, Predicate<Region> entitled) {
    }

    /** Makes the region follow the promoted server. */
    @FunctionalInterface
    public interface FollowHook {
        /**
         * Runs follow rounds until the region writes to the server, or the time is up.
         *
         * @return true once the region writes to it
         */
        boolean await(Region region, String server, Duration timeout) throws InterruptedException;
    }



    private final Context ctx;

    /**
     * Creates the promotion steps.
     *
     * @param ctx what they work with
     */
    public Promotion(Context ctx) {
        this.ctx = ctx;
    }

    /**
     * Fails a region over to its standby.
     *
     * @param group the region's group
     * @param trigger what started it
     * @param detectionNanos how long the failure went unnoticed, for the report
     * @param newEpoch the epoch of this promotion, higher than any recorded before
     * @return the report
     * @throws FailoverRefusedException if the standby breaks residency (nothing was done)
     * @throws FailoverException if a step failed or a listener vetoed
     * @throws InterruptedException if interrupted
     */
    public FailoverReport run(FailoverGroup group, Trigger trigger, long detectionNanos, long newEpoch) throws InterruptedException {
        Region region = group.region();
        PgEndpoint primary = group.primary();
        PgEndpoint standby = group.standby();
        checkResidency(group);
        for (PromotionListener l : ctx.listeners()) {
            try {
                l.beforePromotion(region, primary, standby, newEpoch);
            } catch (Exception e) {
                if (e instanceof InterruptedException ie) {
                    throw ie;
                }
                String reason = "vetoed by " + l.getClass().getName() + " before promotion: " + e.getMessage();
                LOG.warn("region-router failover of region {} {}", region, reason);
                ctx.events().publish(new FailoverAbortedEvent(region, reason));
                throw new FailoverException(region, "failover of region " + region + " was " + reason, e);
            }
        }
        requireEntitled(region, "fencing");
        long fencedLsn = trigger == Trigger.DETECTED && !ctx.fenceBeforeAutomaticPromotion() ? -1
                : phase(region, "fence", () -> fenceIfAlive(group));
        requireEntitled(region, "promoting");
        long started = ctx.ticker().getAsLong();
        long standbyLsn = phase(region, "promote", () -> promote(region, standby));
        long promoted = ctx.ticker().getAsLong();
        LOG.warn("region-router failover: promoted {} for region {} ({}), epoch {}", standby.name(), region, trigger, newEpoch);
        try {
            ctx.admin().recordEpoch(standby, newEpoch, ctx.instanceName());
        } catch (SQLException e) {
            // the timeline alone already ranks the new primary above the old one; the epoch only breaks ties
            LOG.warn("region-router failover: could not record epoch {} on {}: {}", newEpoch, standby.name(), e.toString());
        }
        Duration followLimit = ctx.config().drainTimeout().plusSeconds(5);
        if (!phase(region, "switch", () -> ctx.follow().await(region, standby.name(), followLimit))) {
            throw failed(region, "switch-pool", "region " + region + " did not follow " + standby.name() + " within " + followLimit,
                    null);
        }
        // from the switch on the old primary belongs to an older epoch: watch for its return even if
        // the first write below fails
        boolean exact = fencedLsn >= 0;
        ctx.fences().watch(region, primary, standbyLsn, newEpoch - 1, exact);
        phase(region, "first-write", () -> {
            try (Connection c = ctx.pg().pool(region).getConnection(); Statement s = c.createStatement()) {
                return s.execute("SELECT pg_current_xact_id()");
            } catch (SQLException e) {
                throw failed(region, "first-write", "the first write on " + standby.name() + " failed", e);
            }
        });
        long firstWrite = ctx.ticker().getAsLong();
        // a real write just succeeded there; the retargeted probe is what brings the store back UP
        ctx.pg().router().health().recordSuccess(region, ctx.pg().store());
        WalSampler.Sample sample = ctx.sampler().last(region);
        long reference = exact ? fencedLsn : sample == null ? -1 : sample.walLsn();
        long lost = reference < 0 ? 0 : Math.max(0, reference - standbyLsn);
        boolean synchronous = group.durability() == Durability.SYNCHRONOUS && sample != null && sample.synchronous();
        FailoverReport report = new FailoverReport(region, trigger, newEpoch, primary.name(), standby.name(), group.durability(),
                ctx.clock().instant(), Duration.ofNanos(Math.max(0, detectionNanos)), Duration.ofNanos(promoted - started),
                Duration.ofNanos(firstWrite - promoted), lost, exact, synchronous);
        LOG.warn("region-router failover: {}", report);
        ctx.events().publish(new FailoverCompletedEvent(report));
        for (PromotionListener l : ctx.listeners()) {
            try {
                l.afterPromotion(report);
            } catch (RuntimeException e) {
                LOG.error("region-router failover: after-promotion listener {} failed for region {}; ignored",
                        l.getClass().getName(), region, e);
            }
        }
        return report;
    }

    /** Promotes the standby and checks that it is writable; returns the WAL position it had replayed. */
    private long promote(Region region, PgEndpoint standby) throws InterruptedException {
        long standbyLsn;
        try {
            standbyLsn = ctx.admin().standbyLsn(standby);
            PromoteOnce.promote(ctx.admin(), standby, ctx.config().promoteTimeout());
        } catch (SQLException e) {
            throw failed(region, "promote", "could not promote " + standby.name(), e);
        }
        try {
            if (ctx.admin().isInRecovery(standby)) {
                throw new SQLException(standby.name() + " is still in recovery after pg_promote");
            }
        } catch (SQLException e) {
            throw failed(region, "check-writable", standby.name() + " is not writable after promotion", e);
        }
        return standbyLsn;
    }

    /** Runs one phase inside its observation ({@link FailoverObservation#PHASE}), a child of the failover's. */
    private <T> T phase(Region region, String phase, Observation.CheckedCallable<T, InterruptedException> step)
            throws InterruptedException {
        return Observation.createNotStarted(FailoverObservation.PHASE.getName(), ctx.pg().router().observationRegistry())
                .contextualName("failover " + phase + " " + region.id())
                .lowCardinalityKeyValue(FailoverObservation.Keys.STORE.asString(), ctx.pg().store().name())
                .lowCardinalityKeyValue(FailoverObservation.Keys.REGION.asString(), region.id())
                .lowCardinalityKeyValue(FailoverObservation.Keys.PHASE.asString(), phase)
                .observeChecked(step);
    }

    private void checkResidency(FailoverGroup group) {
        try {
            ResidencyGuard.check(ctx.pg().router().topology(), group);
        } catch (FailoverRefusedException e) {
            LOG.error("region-router failover: {}", e.getMessage());
            ctx.events().publish(new FailoverRefusedEvent(group.region(), group.standby().name(), group.standby().location()));
            throw e;
        }
    }

    /** Switchover: a primary that still answers is made read-only and the standby waits for its last WAL. */
    private long fenceIfAlive(FailoverGroup group) throws InterruptedException {
        PgEndpoint primary = group.primary();
        long lsn;
        try {
            PgAdmin.PrimarySample before = ctx.admin().samplePrimary(primary);
            ctx.sampler().record(group.region(), before);
            int ended = ReadOnlyFence.apply(ctx.admin().dataSource(primary));
            lsn = ctx.admin().writableLsn(primary);
            LOG.warn("region-router failover: fenced {} read-only ({} sessions ended) at WAL position {}", primary.name(), ended, lsn);
        } catch (SQLException e) {
            LOG.warn("region-router failover: {} does not answer ({}); failing over without fencing it", primary.name(),
                    e.toString());
            return -1;
        }
        try {
            if (!ctx.admin().awaitReplay(group.standby(), lsn, ctx.config().catchUpTimeout())) {
                LOG.warn("region-router failover: {} did not replay {}'s last WAL within {}; the report counts what is lost",
                        group.standby().name(), primary.name(), ctx.config().catchUpTimeout());
            }
        } catch (SQLException e) {
            LOG.warn("region-router failover: could not watch {} catch up: {}", group.standby().name(), e.toString());
        }
        return lsn;
    }

    /** Under a coordinator: a holder that lost its lease stops before the next step. */
    private void requireEntitled(Region region, String step) {
        if (!ctx.entitled().test(region)) {
            String reason = "this instance no longer holds the failover lease of region " + region + "; stopped before " + step;
            LOG.warn("region-router failover: {}", reason);
            ctx.events().publish(new FailoverAbortedEvent(region, reason));
            throw new io.regionrouter.jdbc.failover.CoordinatorException(region, reason, null);
        }
    }

    private FailoverException failed(Region region, String step, String message, Exception cause) {
        ctx.events().publish(new FailoverFailedEvent(region, step, cause));
        LOG.error("region-router failover of region {} failed at step {}: {}", region, step, message, cause);
        return new FailoverException(region, "failover of region " + region + " failed at step " + step + ": " + message, cause);
    }
}
