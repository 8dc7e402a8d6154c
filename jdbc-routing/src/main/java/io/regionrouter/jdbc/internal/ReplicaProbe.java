package io.regionrouter.jdbc.internal;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionEvent;
import io.regionrouter.jdbc.ReplicaReadConfig;
import io.regionrouter.jdbc.ReplicaStateChangedEvent;
import io.regionrouter.jdbc.replication.StandbyStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures one read replica's lag on a connection of its own (never one of the read pool's), and
 * decides whether reads may use the replica. Publishes {@link ReplicaStateChangedEvent} when that
 * decision changes. {@link #probe()} is called by one scheduler thread; {@link #usable(long)} by
 * any thread.
 */
public final class ReplicaProbe implements AutoCloseable {

    /** Opens a new connection to the replica. */
    @FunctionalInterface
    public interface ConnectionFactory {
        /**
         * Opens a connection.
         *
         * @return a new connection
         * @throws SQLException when the replica cannot be reached
         */
        Connection open() throws SQLException;
    }

    /** One measurement, or the failure to take it. */
    public record Measurement(StandbyStatus status, String error, long takenAtNanos) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaProbe.class);

    private final Region region;
    private final String name;
    private final ConnectionFactory factory;
    private final ReplicaReadConfig config;
    private final LongSupplier nanoTime;
    private final Consumer<RegionEvent> events;
    private final int timeoutSeconds;
    private volatile Measurement last;
    private volatile String held;
    private volatile Connection connection;
    private volatile boolean closed;
    private Boolean lastUsable;

    /**
     * Creates the probe; it measures nothing until {@link #probe()} is called.
     *
     * @param region the region the replica serves
     * @param name the replica's name
     * @param factory opens the probe's own connection
     * @param config the bound and timings
     * @param nanoTime the ticker
     * @param events receives {@link ReplicaStateChangedEvent}s
     */
    public ReplicaProbe(Region region, String name, ConnectionFactory factory, ReplicaReadConfig config, LongSupplier nanoTime,
            Consumer<RegionEvent> events) {
        this.region = Objects.requireNonNull(region, "region");
        this.name = Objects.requireNonNull(name, "name");
        this.factory = Objects.requireNonNull(factory, "factory");
        this.config = Objects.requireNonNull(config, "config");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.events = Objects.requireNonNull(events, "events");
        this.timeoutSeconds = (int) Math.max(1, (config.probeTimeout().toMillis() + 999) / 1000);
    }

    /** The region. */
    public Region region() {
        return region;
    }

    /** The replica's name. */
    public String name() {
        return name;
    }

    /** The last measurement, or null before the first. */
    public Measurement last() {
        return last;
    }

    /** Measures once; never throws. */
    public synchronized void probe() {
        Measurement m;
        try {
            if (closed) {
                return;
            }
            if (connection == null || connection.isClosed()) {
                connection = factory.open();
                if (closed) {
                    closeConnection(); // closed while connecting
                    return;
                }
            }
            StandbyStatus status = StandbyStatus.query(connection, region, name, timeoutSeconds);
            m = new Measurement(status, null, nanoTime.getAsLong());
        } catch (SQLException | RuntimeException e) {
            closeConnection();
            m = new Measurement(null, e.getMessage() == null ? e.getClass().getName() : e.getMessage(), nanoTime.getAsLong());
        }
        last = m;
        String reason = reason(m, m.takenAtNanos());
        boolean usable = reason == null;
        if (lastUsable == null || lastUsable != usable) {
            lastUsable = usable;
            Optional<Duration> lag = m.status() == null ? Optional.empty() : m.status().replayLag();
            if (usable) {
                LOG.info("[replica {} of region {}] usable for reads again (lag {})", name, region, lag.orElse(null));
            } else {
                LOG.info("[replica {} of region {}] not used for reads: {}", name, region, reason);
            }
            events.accept(new ReplicaStateChangedEvent(region, name, usable, lag, reason));
        }
    }

    /**
     * Whether reads may use the replica now.
     *
     * @param nowNanos the ticker's current value
     * @return true while the last measurement is fresh and within the bound
     */
    public boolean usable(long nowNanos) {
        return reason(last, nowNanos) == null;
    }

    /**
     * Keeps reads away from the replica, whatever its lag, until {@link #release()}: a failover
     * does so while the replica does not follow the region's current primary.
     *
     * @param reason why, given as the replica's reason
     */
    public void hold(String reason) {
        held = java.util.Objects.requireNonNull(reason, "reason");
    }

    /** Ends a {@link #hold}; the lag alone decides again. */
    public void release() {
        held = null;
    }

    /** The last replayed WAL position measured, or {@link Lsn#NONE}. */
    public long replayLsn() {
        Measurement m = last;
        return m == null || m.status() == null ? Lsn.NONE : Lsn.parse(m.status().replayLsn());
    }

    /**
     * Why reads may not use the replica, or null when they may.
     *
     * @param m a measurement, may be null
     * @param nowNanos the ticker's current value
     * @return the reason or null
     */
    public String reason(Measurement m, long nowNanos) {
        String h = held;
        if (h != null) {
            return h;
        }
        if (m == null) {
            return "not measured yet";
        }
        if (m.status() == null) {
            return "could not be measured: " + m.error();
        }
        if (nowNanos - m.takenAtNanos() > config.staleAfter().toNanos()) {
            return "last measurement older than " + config.staleAfter();
        }
        StandbyStatus s = m.status();
        if (!s.inRecovery()) {
            return "no longer a standby (promoted?)";
        }
        if (!s.receiving()) {
            return "not streaming from its primary, so its lag is unknown";
        }
        if (s.replayLag().isEmpty()) {
            return "lag unknown";
        }
        if (s.replayLag().get().compareTo(config.maxLag()) > 0) {
            return "lag " + s.replayLag().get() + " above the bound " + config.maxLag() + (s.replayPaused() ? " (replay paused)" : "");
        }
        return null;
    }

    private void closeConnection() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("[replica {} of region {}] closing the probe connection failed", name, region, e);
            }
        }
    }

    /** Closes the probe's connection. */
    @Override
    public void close() {
        // not under the probe's lock: a probe stuck reading from a replica that stopped answering holds it,
        // and closing the connection is what ends that read
        closed = true;
        closeConnection();
    }

    @Override
    public String toString() {
        return "ReplicaProbe[" + region + "/" + name + "]";
    }
}
