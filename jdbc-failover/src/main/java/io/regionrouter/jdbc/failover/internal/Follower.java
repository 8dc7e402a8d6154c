package io.regionrouter.jdbc.failover.internal;

import io.regionrouter.core.Region;
import io.regionrouter.core.support.EventDispatcher;
import io.regionrouter.jdbc.RegionPoolConfig;
import io.regionrouter.jdbc.RegionalDataSources;
import io.regionrouter.jdbc.failover.FailoverGroup;
import io.regionrouter.jdbc.failover.PgEndpoint;
import io.regionrouter.jdbc.failover.PrimaryFollowedEvent;
import io.regionrouter.jdbc.failover.PrimaryIdentity;
import io.regionrouter.jdbc.failover.WritesRefusedEvent;
import io.regionrouter.jdbc.support.PoolControl;
import io.regionrouter.jdbc.support.PoolControls;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one region's pool on the server that proves to be its current primary: asks every server
 * of the group for its {@link ServerState}, lets {@link PrimaryChoice} decide, and switches the
 * region of {@link RegionalDataSources} to the chosen server, or refuses its connections. Whoever
 * promoted, this instance follows. Rounds are serialized; thread-safe.
 */
public final class Follower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Follower.class);

    /** Something to do with a data source the region no longer uses, after its drain time. */
    public interface Retirer {
        /** Closes the data source later. */
        void retire(DataSource old);
    }

    private final Region region;
    private final FailoverGroup group;
    private final RegionalDataSources pg;
    private final PoolControl control;
    private final Duration timeout;
    private final EventDispatcher events;
    private final Retirer retirer;
    private final LongSupplier ticker;
    private final List<ServerWatch> watches;
    private final List<ServerWatch> replicaWatches;
    private final Map<String, String> replicaHolds = new java.util.HashMap<>();
    private Long systemIdentifier;
    private String confirmed;
    private String poolTarget;
    private PrimaryIdentity highestSeen;
    private PrimaryIdentity confirmedIdentity;
    private volatile long lastSwitchNanos;
    private String lastRefusal;

    /**
     * Creates the follower; the region's pool is taken to point at the group's primary, unconfirmed.
     *
     * @param group the region's group
     * @param pg the data sources whose region it switches
     * @param admin opens administrative connections
     * @param executor runs the servers' reads
     * @param timeout how long a server may take to answer
     * @param events where events go
     * @param retirer closes replaced pools after their drain
     * @param ticker nano time
     */
    public Follower(FailoverGroup group, RegionalDataSources pg, PgAdmin admin, ExecutorService executor, Duration timeout,
            EventDispatcher events, Retirer retirer, LongSupplier ticker) {
        this.region = group.region();
        this.group = group;
        this.pg = pg;
        this.control = PoolControls.of(pg);
        this.timeout = timeout;
        this.events = events;
        this.retirer = retirer;
        this.ticker = ticker;
        this.watches = group.members().stream().map(e -> new ServerWatch(admin, e, executor)).toList();
        this.replicaWatches = group.replicas().stream().map(e -> new ServerWatch(admin, e, executor)).toList();
        this.poolTarget = group.primary().name();
    }

    /**
     * One round: ask every server, decide, act.
     *
     * @throws InterruptedException if interrupted while waiting for the answers
     */
    public void round() throws InterruptedException {
        round(timeout);
    }

    /**
     * One round, waiting up to {@code wait} for the answers; a read still running afterwards (a
     * connect across a slow link, say) is not restarted, and counts in a later round.
     *
     * @throws InterruptedException if interrupted while waiting for the answers
     */
    public synchronized void round(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        Map<ServerWatch, Future<ServerState>> reads = new LinkedHashMap<>();
        for (ServerWatch w : watches) {
            reads.put(w, w.start(timeout));
        }
        Map<ServerWatch, Future<ServerState>> replicaReads = new LinkedHashMap<>();
        for (ServerWatch w : replicaWatches) {
            replicaReads.put(w, w.start(timeout));
        }
        Map<String, ServerState> answers = new LinkedHashMap<>();
        for (Map.Entry<ServerWatch, Future<ServerState>> r : reads.entrySet()) {
            Optional<ServerState> state = r.getKey().await(r.getValue(), deadline);
            state.filter(s -> sameCluster(r.getKey().endpoint(), s)).ifPresent(s -> answers.put(r.getKey().endpoint().name(), s));
        }
        PrimaryChoice.Decision decision = PrimaryChoice.decide(answers, watches.size(), confirmed, highestSeen);
        highestSeen = PrimaryChoice.top(answers, highestSeen);
        if (decision instanceof PrimaryChoice.Follow f) {
            follow(f);
        } else if (decision instanceof PrimaryChoice.Refuse r) {
            refuse(r.reason(), answers);
        }
        for (Map.Entry<ServerWatch, Future<ServerState>> r : replicaReads.entrySet()) {
            Optional<ServerState> state = r.getKey().await(r.getValue(), deadline);
            state.ifPresent(s -> judgeReplica(r.getKey().endpoint().name(), s));
        }
    }

    /** A replica is read only while it streams the confirmed primary's timeline and epoch. */
    private void judgeReplica(String name, ServerState s) {
        String reason;
        if (confirmedIdentity == null) {
            reason = "the region has no confirmed primary";
        } else if (!s.inRecovery()) {
            reason = "not a standby any more";
        } else if (systemIdentifier != null && s.identity().systemIdentifier() != systemIdentifier) {
            reason = "belongs to another cluster";
        } else if (s.identity().timeline() != confirmedIdentity.timeline() || s.identity().epoch() != confirmedIdentity.epoch()) {
            reason = "follows timeline " + s.identity().timeline() + " epoch " + s.identity().epoch() + ", not the primary's "
                    + confirmedIdentity;
        } else {
            reason = null;
        }
        if (java.util.Objects.equals(reason, replicaHolds.get(name)) && replicaHolds.containsKey(name)) {
            return;
        }
        control.holdReplica(region, name, reason == null ? null : "failover: " + reason);
        replicaHolds.put(name, reason);
        if (reason != null) {
            LOG.warn("region-router failover: replica {} of region {} is not read: {}", name, region, reason);
        } else {
            LOG.info("region-router failover: replica {} of region {} follows the primary {}", name, region, confirmedIdentity);
        }
    }

    private boolean sameCluster(PgEndpoint endpoint, ServerState state) {
        long system = state.identity().systemIdentifier();
        if (systemIdentifier == null) {
            systemIdentifier = system;
            return true;
        }
        if (systemIdentifier != system) {
            LOG.warn("region-router failover: {} of region {} belongs to another cluster (system identifier {}, expected {});"
                    + " it is ignored", endpoint.name(), region, Long.toUnsignedString(system), Long.toUnsignedString(systemIdentifier));
            return false;
        }
        return true;
    }

    private void follow(PrimaryChoice.Follow f) {
        boolean switched = false;
        if (!f.server().equals(poolTarget)) {
            RegionPoolConfig config = group.poolOf(f.server());
            if (config == null && f.server().equals(group.primary().name())) {
                config = pg.poolConfig(region); // the settings the region started with
            }
            if (config == null) {
                refuse(f.server() + " is the primary at " + f.identity() + ", but the group has no pool settings for it", Map.of());
                return;
            }
            DataSource old;
            try {
                old = control.switchRegion(region, config, pg.epoch(region) + 1);
            } catch (RuntimeException e) {
                LOG.warn("region-router failover: region {} could not switch to {}: {}; next round tries again", region, f.server(),
                        e.toString());
                return;
            }
            retirer.retire(old);
            poolTarget = f.server();
            lastSwitchNanos = ticker.getAsLong();
            switched = true;
        }
        confirmed = f.server();
        confirmedIdentity = f.identity();
        lastRefusal = null;
        LOG.warn("region-router failover: region {} writes to {} at {}{}", region, f.server(), f.identity(),
                switched ? " (switched)" : "");
        events.publish(new PrimaryFollowedEvent(region, f.server(), f.identity(), switched));
    }

    private void refuse(String reason, Map<String, ServerState> answers) {
        confirmed = null;
        confirmedIdentity = null;
        if (poolTarget != null) {
            retirer.retire(control.suspendRegion(region, pg.epoch(region) + 1, reason));
            poolTarget = null;
            lastSwitchNanos = ticker.getAsLong();
        }
        if (!reason.equals(lastRefusal)) {
            lastRefusal = reason;
            LOG.error("region-router failover: region {} refuses connections: {} (answers: {})", region, reason, answers);
            events.publish(new WritesRefusedEvent(region, reason));
        }
    }

    /** The server this instance confirmed as the primary and writes to, if any. */
    public synchronized Optional<String> confirmed() {
        return Optional.ofNullable(confirmed);
    }

    /** The identity of the confirmed primary, if any. */
    public synchronized Optional<PrimaryIdentity> confirmedIdentity() {
        return Optional.ofNullable(confirmedIdentity);
    }

    /** The highest identity seen, if any. */
    public synchronized Optional<PrimaryIdentity> highestSeen() {
        return Optional.ofNullable(highestSeen);
    }

    /** When the pool was last switched or refused (nano time), 0 if never. */
    public long lastSwitchNanos() {
        return lastSwitchNanos;
    }

    /** The region. */
    public Region region() {
        return region;
    }

    @Override
    public void close() {
        watches.forEach(ServerWatch::close);
        replicaWatches.forEach(ServerWatch::close);
    }

    @Override
    public String toString() {
        return "Follower[" + region + ", confirmed=" + confirmed + ", highestSeen=" + highestSeen + "]";
    }

}
