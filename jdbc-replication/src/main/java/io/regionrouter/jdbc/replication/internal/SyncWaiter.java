package io.regionrouter.jdbc.replication.internal;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionRouterException;
import io.regionrouter.jdbc.replication.PlannedSubscription;
import io.regionrouter.jdbc.replication.ReplicationEndpoint;
import io.regionrouter.jdbc.replication.ReplicationSetup;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Polls {@code pg_subscription_rel} until every table of every planned subscription is in state
 * {@code r} (ready: copied and streaming). Bounded by a deadline on an injected ticker.
 */
public final class SyncWaiter {

    private final ReplicationSetup setup;
    private final Map<Region, ReplicationEndpoint> endpoints;
    private final LongSupplier nanoTime;
    private final Duration pollInterval;

    /**
     * Creates the waiter.
     *
     * @param setup the setup whose subscriptions to wait for
     * @param endpoints the endpoints
     * @param nanoTime the ticker
     * @param pollInterval the pause between polls
     */
    public SyncWaiter(ReplicationSetup setup, Map<Region, ReplicationEndpoint> endpoints, LongSupplier nanoTime,
            Duration pollInterval) {
        this.setup = setup;
        this.endpoints = endpoints;
        this.nanoTime = nanoTime;
        this.pollInterval = pollInterval;
    }

    /**
     * Waits for the initial copies.
     *
     * @param timeout the longest wait
     * @throws InterruptedException if interrupted
     * @throws RegionRouterException when the deadline passes, naming what is not ready
     */
    public void await(Duration timeout) throws InterruptedException {
        long deadline = nanoTime.getAsLong() + timeout.toNanos();
        while (true) {
            List<String> pending = pending();
            if (pending.isEmpty()) {
                return;
            }
            if (nanoTime.getAsLong() - deadline >= 0) {
                throw new RegionRouterException("initial copy not finished within " + timeout + "; not ready: " + pending);
            }
            Thread.sleep(pollInterval.toMillis());
        }
    }

    private List<String> pending() {
        List<String> pending = new ArrayList<>();
        for (PlannedSubscription s : setup.subscriptions()) {
            try (Connection c = endpoints.get(s.subscriber()).admin().getConnection();
                    PreparedStatement ps = c.prepareStatement("SELECT s.oid IS NOT NULL,"
                            + " (SELECT string_agg(r.srrelid::regclass::text || '=' || r.srsubstate::text, ', ')"
                            + "    FROM pg_subscription_rel r WHERE r.srsubid = s.oid AND r.srsubstate <> 'r')"
                            + " FROM (SELECT 1) one LEFT JOIN pg_subscription s ON s.subname = ?"
                            + " AND s.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
                ps.setString(1, s.name());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        pending.add(s.name() + " (missing in region " + s.subscriber() + ")");
                    } else if (rs.getString(2) != null) {
                        pending.add(s.name() + " [" + rs.getString(2) + "]");
                    }
                }
            } catch (SQLException e) {
                String state = e.getSQLState();
                if (state == null || !state.startsWith("08")) {
                    throw new RegionRouterException("could not read the state of subscription " + s.name() + " in region "
                            + s.subscriber() + ": " + e.getMessage(), e);
                }
                pending.add(s.name() + " (region " + s.subscriber() + " unreachable: " + e.getMessage() + ")");
            }
        }
        return pending;
    }
}
