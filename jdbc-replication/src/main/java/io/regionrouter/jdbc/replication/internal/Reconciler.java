package io.regionrouter.jdbc.replication.internal;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionRouterException;
import io.regionrouter.jdbc.replication.ActiveActiveTable;
import io.regionrouter.jdbc.replication.PlannedPublication;
import io.regionrouter.jdbc.replication.PlannedSubscription;
import io.regionrouter.jdbc.replication.ReplicationEndpoint;
import io.regionrouter.jdbc.replication.ReplicationSetup;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings databases to a {@link ReplicationSetup} and takes it down again. Both are idempotent and
 * only ever touch objects whose name starts with the setup's prefix. Statements that carry a
 * connection string are never logged. Not thread-safe; {@link io.regionrouter.jdbc.replication.LogicalReplication}
 * serialises calls.
 */
public final class Reconciler {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    private final ReplicationSetup setup;
    private final List<Region> regions;
    private final Map<Region, ReplicationEndpoint> endpoints;

    /**
     * Creates the reconciler.
     *
     * @param setup the desired state
     * @param regions every region of the topology, in order
     * @param endpoints the endpoints of the regions
     */
    public Reconciler(ReplicationSetup setup, List<Region> regions, Map<Region, ReplicationEndpoint> endpoints) {
        this.setup = setup;
        this.regions = List.copyOf(regions);
        this.endpoints = Map.copyOf(endpoints);
    }

    /**
     * Creates or alters the planned publications, then the subscriptions, then drops the prefixed
     * subscriptions and publications the setup no longer has.
     *
     * @throws SQLException when a statement fails; the databases are then partly applied, and a new
     *         call continues from there
     */
    public void apply() throws SQLException {
        String prefix = setup.namePrefix();
        for (Region region : regions) {
            List<PlannedPublication> planned = setup.publicationsOf(region);
            if (planned.isEmpty() || !endpoints.containsKey(region)) {
                continue;
            }
            try (Connection c = admin(region)) {
                List<String> existing = Catalog.publications(c, prefix);
                for (PlannedPublication p : planned) {
                    if (existing.contains(p.name())) {
                        run(c, region, Ddl.setPublicationTables(p));
                        run(c, region, Ddl.setPublicationOptions(p.name()));
                    } else {
                        run(c, region, Ddl.createPublication(p));
                    }
                }
            }
        }
        if (!setup.activeActiveTables().isEmpty()) {
            for (Region region : regions) {
                try (Connection c = admin(region)) {
                    LOG.info("[region {}] CREATE OR REPLACE FUNCTION {}() (last write wins)", region, Ddl.lastWriteWinsFunctionName(prefix));
                    Catalog.execute(c, Ddl.lastWriteWinsFunction(prefix));
                    for (ActiveActiveTable t : setup.activeActiveTables()) {
                        for (String sql : Ddl.lastWriteWinsTrigger(prefix, t.name(), t.updatedAtColumn())) {
                            run(c, region, sql);
                        }
                    }
                }
            }
        }
        for (Region region : regions) {
            if (endpoints.containsKey(region)) {
                applySubscriptions(region);
            }
        }
        for (Region region : regions) {
            if (!endpoints.containsKey(region)) {
                continue;
            }
            Set<String> planned = new HashSet<>();
            setup.publicationsOf(region).forEach(p -> planned.add(p.name()));
            try (Connection c = admin(region)) {
                for (String stale : Catalog.publications(c, prefix)) {
                    if (!planned.contains(stale)) {
                        run(c, region, "DROP PUBLICATION IF EXISTS " + Catalog.quoteIdent(stale));
                    }
                }
            }
        }
    }

    private void applySubscriptions(Region region) throws SQLException {
        List<PlannedSubscription> planned = setup.subscriptionsOf(region);
        try (Connection c = admin(region)) {
            Map<String, Catalog.ExistingSubscription> existing = Catalog.subscriptions(c, setup.namePrefix());
            for (PlannedSubscription s : planned) {
                Catalog.ExistingSubscription current = existing.get(s.name());
                if (current == null) {
                    dropLeftoverSlot(s);
                    ReplicationEndpoint publisher = endpoints.get(s.publisher());
                    runSecret(c, region, Ddl.createSubscription(s, publisher.conninfo()),
                            Ddl.createSubscription(s, Ddl.MASKED_CONNINFO));
                    continue;
                }
                if (!current.enabled()) {
                    run(c, region, "ALTER SUBSCRIPTION " + s.name() + " ENABLE");
                }
                if (!Set.copyOf(current.publications()).equals(Set.copyOf(s.publications()))) {
                    run(c, region, Ddl.setSubscriptionPublications(s, true));
                } else {
                    run(c, region, Ddl.refreshSubscription(s.name()));
                }
            }
            Set<String> names = new HashSet<>();
            planned.forEach(s -> names.add(s.name()));
            for (String stale : existing.keySet()) {
                if (!names.contains(stale)) {
                    dropSubscription(c, region, stale, null);
                }
            }
        }
    }

    /** Slot names equal subscription names, and each slot lives on its subscription's publisher. */
    private Set<String> plannedSlotsOn(Region publisher) {
        Set<String> names = new HashSet<>();
        for (PlannedSubscription s : setup.subscriptions()) {
            if (s.publisher().equals(publisher)) {
                names.add(s.name());
            }
        }
        return names;
    }

    private void dropLeftoverSlot(PlannedSubscription s) throws SQLException {
        try (Connection p = admin(s.publisher())) {
            if (Catalog.dropInactiveSlot(p, s.name())) {
                LOG.warn("[region {}] dropped leftover inactive replication slot {} before creating subscription {} in region {}",
                        s.publisher(), s.name(), s.name(), s.subscriber());
            }
        }
    }

    /**
     * Drops every prefixed subscription in every region, then every prefixed publication and the
     * logical slots that the plan's subscriptions use, left behind on their publishers. Only the
     * connection's database is touched: slots are cluster-wide, and another database's slots, even
     * with the same prefix, are left alone. Keeps going after a failure and throws at the end.
     *
     * @throws RegionRouterException naming everything that could not be dropped, with the causes suppressed
     */
    public void teardown() {
        List<Exception> failures = new ArrayList<>();
        List<String> what = new ArrayList<>();
        String prefix = setup.namePrefix();
        for (Region region : regions) {
            if (!endpoints.containsKey(region)) {
                continue;
            }
            try (Connection c = admin(region)) {
                for (String name : Catalog.subscriptions(c, prefix).keySet()) {
                    dropSubscription(c, region, name, failures);
                }
            } catch (SQLException e) {
                failures.add(e);
                what.add("subscriptions in region " + region);
            }
        }
        for (Region region : regions) {
            if (!endpoints.containsKey(region)) {
                continue;
            }
            try (Connection c = admin(region)) {
                for (String name : Catalog.publications(c, prefix)) {
                    run(c, region, "DROP PUBLICATION IF EXISTS " + Catalog.quoteIdent(name));
                }
                for (ActiveActiveTable t : setup.activeActiveTables()) {
                    run(c, region, "DROP TRIGGER IF EXISTS " + Ddl.lastWriteWinsTriggerName(prefix) + " ON " + t.name());
                }
                if (!setup.activeActiveTables().isEmpty()) {
                    run(c, region, "DROP FUNCTION IF EXISTS " + Ddl.lastWriteWinsFunctionName(prefix) + "()");
                }
                for (String slot : Catalog.logicalSlots(c, plannedSlotsOn(region))) {
                    if (Catalog.dropInactiveSlot(c, slot)) {
                        LOG.info("[region {}] dropped leftover replication slot {}", region, slot);
                    } else {
                        what.add("active slot " + slot + " in region " + region);
                    }
                }
            } catch (SQLException e) {
                failures.add(e);
                what.add("publications and slots in region " + region);
            }
        }
        if (!failures.isEmpty() || !what.isEmpty()) {
            RegionRouterException e = new RegionRouterException("replication teardown incomplete; not dropped: " + what
                    + (failures.isEmpty() ? "" : "; " + failures.size() + " failure(s) attached as suppressed exceptions"));
            failures.forEach(e::addSuppressed);
            throw e;
        }
    }

    /**
     * Drops a subscription with its remote slot. When the publisher cannot be reached, detaches the
     * slot ({@code slot_name = NONE}), drops the subscription and leaves the slot to
     * {@link #teardown()} or to a later apply.
     */
    private void dropSubscription(Connection c, Region region, String name, List<Exception> failures) throws SQLException {
        String quoted = Catalog.quoteIdent(name);
        try {
            run(c, region, "DROP SUBSCRIPTION IF EXISTS " + quoted);
        } catch (SQLException e) {
            LOG.warn("[region {}] could not drop subscription {} with its remote slot ({}); detaching the slot and dropping"
                    + " the subscription alone; the slot on the publisher must be dropped later", region, name, e.getMessage());
            run(c, region, "ALTER SUBSCRIPTION " + quoted + " DISABLE");
            run(c, region, "ALTER SUBSCRIPTION " + quoted + " SET (slot_name = NONE)");
            run(c, region, "DROP SUBSCRIPTION IF EXISTS " + quoted);
            if (failures != null) {
                failures.add(e);
            }
        }
    }

    private Connection admin(Region region) throws SQLException {
        Connection c = endpoints.get(region).admin().getConnection();
        if (!c.getAutoCommit()) {
            c.setAutoCommit(true);
        }
        return c;
    }

    private static void run(Connection c, Region region, String sql) throws SQLException {
        LOG.info("[region {}] {}", region, sql);
        Catalog.execute(c, sql);
    }

    private static void runSecret(Connection c, Region region, String sql, String display) throws SQLException {
        LOG.info("[region {}] {}", region, display);
        try {
            Catalog.execute(c, sql);
        } catch (SQLException e) {
            throw new SQLException("[region " + region + "] failed: " + display + ": " + e.getMessage(), e.getSQLState(), e);
        }
    }
}
