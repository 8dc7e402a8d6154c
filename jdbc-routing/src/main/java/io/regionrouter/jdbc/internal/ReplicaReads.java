package io.regionrouter.jdbc.internal;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.regionrouter.core.Access;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionContext;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.Store;
import io.regionrouter.jdbc.ReplicaReadConfig;
import io.regionrouter.jdbc.replication.ReplicationObservation;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lag-aware reads: hands out {@link LazyConnection}s that, at first use, go to a usable replica of
 * the routed region when the connection is read-only (or the context's access is READ), and to the
 * region's primary through the {@link RoutingConnector} otherwise. Thread-safe.
 */
public final class ReplicaReads implements AutoCloseable {

    /** A read replica: its read pool and its probe. */
    public record Replica(String name, DataSource pool, ReplicaProbe probe) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaReads.class);

    private final RegionRouter router;
    private final RoutingConnector primaries;
    private final Map<Region, List<Replica>> replicas;
    private final ReplicaReadConfig config;
    private final LongSupplier nanoTime;
    private final WriteLsnMemory writes;
    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();

    /**
     * Creates the reads router.
     *
     * @param router the router
     * @param primaries connects to regions' primaries
     * @param replicas each region's replicas, in preference order
     * @param config the bound and timings
     * @param nanoTime the ticker
     */
    public ReplicaReads(RegionRouter router, RoutingConnector primaries, Map<Region, List<Replica>> replicas,
            ReplicaReadConfig config, LongSupplier nanoTime) {
        this.router = Objects.requireNonNull(router, "router");
        this.primaries = Objects.requireNonNull(primaries, "primaries");
        Map<Region, List<Replica>> copy = new LinkedHashMap<>();
        replicas.forEach((r, list) -> copy.put(r, List.copyOf(list)));
        this.replicas = Map.copyOf(copy);
        this.config = Objects.requireNonNull(config, "config");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.writes = config.readYourWrites()
                ? new WriteLsnMemory(config.readYourWritesCapacity(), config.readYourWritesExpiry(), nanoTime::getAsLong)
                : null;
    }

    /**
     * Starts measuring every replica on the scheduler, the first time at once.
     *
     * @param scheduler the scheduler
     */
    public synchronized void start(ScheduledExecutorService scheduler) {
        if (!tasks.isEmpty()) {
            return;
        }
        for (List<Replica> list : replicas.values()) {
            for (Replica r : list) {
                tasks.add(scheduler.scheduleWithFixedDelay(r.probe()::probe, 0, config.probeInterval().toMillis(),
                        TimeUnit.MILLISECONDS));
            }
        }
    }

    /** Measures every replica once, now, on the calling thread. */
    public void probeAll() {
        replicas.values().forEach(list -> list.forEach(r -> r.probe().probe()));
    }

    /** The replicas of each region. */
    public Map<Region, List<Replica>> replicas() {
        return replicas;
    }

    /**
     * A replica by region and name.
     *
     * @param region the region
     * @param name the replica's name
     * @return the replica
     * @throws IllegalArgumentException if there is none
     */
    public Replica replica(Region region, String name) {
        return replicas.getOrDefault(region, List.of()).stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("region " + region + " has no replica named " + name
                        + "; its replicas: " + replicas.getOrDefault(region, List.of()).stream().map(Replica::name).toList()));
    }

    /**
     * Whether reads may use the replica now.
     *
     * @param region the region
     * @param name the replica's name
     * @return true while its last measurement is fresh and within the bound
     */
    public boolean usable(Region region, String name) {
        return replica(region, name).probe().usable(nanoTime.getAsLong());
    }

    /**
     * A lazy connection for the context.
     *
     * @param context the context, captured now
     * @return a connection that picks replica or primary at first use
     */
    public Connection connection(RegionContext context) {
        return LazyConnection.create(new Target(context));
    }

    /**
     * The position a replica must have replayed for this user's reads, or {@link Lsn#NONE}.
     *
     * @param userId the user
     * @return the position
     */
    public long requiredLsn(String userId) {
        return writes == null || userId == null ? Lsn.NONE : writes.required(userId);
    }

    /** A replica's last measured replay lag in milliseconds, or {@code unknown}. */
    private static String lagMillis(Replica replica) {
        ReplicaProbe.Measurement last = replica.probe().last();
        return last == null || last.status() == null ? "unknown"
                : last.status().replayLag().map(lag -> Long.toString(lag.toMillis())).orElse("unknown");
    }

    private final class Target implements LazyConnection.TargetSource {
        private final RegionContext context;
        private String description;
        private Replica served;
        private boolean recordWrite;

        Target(RegionContext context) {
            this.context = context;
        }

        @Override
        public Connection open(boolean readOnly) throws SQLException {
            if (readOnly || context.access() == Access.READ) {
                Optional<Connection> replica = replica();
                if (replica.isPresent()) {
                    return replica.get();
                }
            }
            boolean read = readOnly || context.access() == Access.READ;
            // a read that finds no usable replica reads GLOBAL data in the local region, not the primary one
            Connection c = primaries.connect(read ? readContext() : context);
            description = "primary";
            recordWrite = writes != null && !read && context.userId().isPresent();
            return c;
        }

        private Optional<Connection> replica() throws SQLException {
            Region region = readRegion();
            List<Replica> candidates = replicas.getOrDefault(region, List.of());
            if (candidates.isEmpty()) {
                return Optional.empty();
            }
            ObservationRegistry registry = router.observationRegistry();
            if (registry.isNoop()) {
                return chooseReplica(region, candidates);
            }
            Observation observation = Observation.createNotStarted(ReplicationObservation.REPLICA_READ.getName(), registry)
                    .contextualName("replica read " + region.id())
                    .lowCardinalityKeyValue(ReplicationObservation.Keys.STORE.asString(), Store.POSTGRES.name())
                    .lowCardinalityKeyValue(ReplicationObservation.Keys.REGION.asString(), region.id()).start();
            try (Observation.Scope scope = observation.openScope()) {
                Optional<Connection> c = chooseReplica(region, candidates);
                Optional<Replica> chosen = c.isPresent() ? Optional.ofNullable(served) : Optional.empty();
                observation.lowCardinalityKeyValue(ReplicationObservation.Keys.OUTCOME.asString(), c.isPresent() ? "replica" : "primary")
                        .highCardinalityKeyValue(ReplicationObservation.Keys.REPLICA.asString(), chosen.map(Replica::name).orElse("none"))
                        .highCardinalityKeyValue(ReplicationObservation.Keys.LAG.asString(), chosen.map(ReplicaReads::lagMillis)
                                .orElse("unknown"));
                return c;
            } catch (SQLException | RuntimeException e) {
                observation.lowCardinalityKeyValue(ReplicationObservation.Keys.OUTCOME.asString(), "error").error(e);
                throw e;
            } finally {
                observation.stop();
            }
        }

        private Optional<Connection> chooseReplica(Region region, List<Replica> candidates) throws SQLException {
            long required = requiredLsn(context.userId().orElse(null));
            long now = nanoTime.getAsLong();
            for (Replica r : candidates) {
                if (!r.probe().usable(now)) {
                    continue;
                }
                Connection c;
                try {
                    c = r.pool().getConnection();
                } catch (SQLException e) {
                    LOG.warn("[replica {} of region {}] no connection, reading from the primary: {}", r.name(), region, e.getMessage());
                    continue;
                }
                if (required != Lsn.NONE && !Lsn.atOrAfter(r.probe().replayLsn(), required)) {
                    boolean caughtUp;
                    try {
                        caughtUp = replayedPast(c, required);
                    } catch (SQLException | RuntimeException e) {
                        closeAfterFailure(c, e);
                        LOG.warn("[replica {} of region {}] could not check its replay position, reading from the primary: {}",
                                r.name(), region, e.getMessage());
                        continue;
                    }
                    if (!caughtUp) {
                        c.close();
                        continue;
                    }
                }
                description = "replica " + r.name();
                served = r;
                return Optional.of(c);
            }
            return Optional.empty();
        }

        /** The region a read goes to: the explicit one (residency checked) or the router's choice for a read. */
        private Region readRegion() throws SQLException {
            return primaries.route(readContext());
        }

        private RegionContext readContext() {
            return context.access() == Access.READ ? context : context.withAccess(Access.READ);
        }

        @Override
        public void beforeClose(Connection target) {
            if (!recordWrite) {
                return;
            }
            String user = context.userId().get();
            try {
                if (!target.getAutoCommit()) {
                    // what is not committed by now is rolled back by the close anyway
                    target.rollback();
                }
                try (Statement s = target.createStatement();
                        ResultSet rs = s.executeQuery("SELECT pg_current_wal_insert_lsn()::text")) {
                    rs.next();
                    writes.record(user, Lsn.parse(rs.getString(1)));
                }
            } catch (SQLException e) {
                LOG.warn("could not read the write position after a write of user {}; that user's next reads may not see it"
                        + " on a replica: {}", user, e.getMessage());
            }
        }

        @Override
        public String describe() {
            return description;
        }
    }

    /** Returns a connection that failed a check to its pool; a failure to close is attached to the first one. */
    private static void closeAfterFailure(Connection c, Exception failure) {
        try {
            c.close();
        } catch (SQLException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private static boolean replayedPast(Connection c, long required) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_last_wal_replay_lsn()::text")) {
            rs.next();
            return Lsn.atOrAfter(Lsn.parse(rs.getString(1)), required);
        }
    }

    /** Stops measuring and closes the probes' connections. The pools belong to the caller. */
    @Override
    public synchronized void close() {
        tasks.forEach(t -> t.cancel(false));
        tasks.clear();
        replicas.values().forEach(list -> list.forEach(r -> r.probe().close()));
    }
}
