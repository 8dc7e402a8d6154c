package io.regionrouter.jdbc.replication;

import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionRouterException;
import io.regionrouter.core.ResidencyViolationException;
import io.regionrouter.core.Topology;
import io.regionrouter.jdbc.replication.internal.Ddl;
import io.regionrouter.jdbc.replication.internal.Planner;
import io.regionrouter.jdbc.replication.internal.PreconditionChecker;
import io.regionrouter.jdbc.replication.internal.Reconciler;
import io.regionrouter.jdbc.replication.internal.SyncWaiter;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Creates and removes the PostgreSQL logical replication that a {@link ReplicationPlan} needs in a
 * {@link Topology}: publications (with row filters for REGULATED tables) and subscriptions.
 *
 * <pre>{@code
 * LogicalReplication replication = LogicalReplication.builder(topology)
 *     .plan(plan)
 *     .endpoint(us, usEndpoint)
 *     .endpoint(eu, euEndpoint)
 *     .build();                 // plans, and refuses a plan that breaks residency
 * replication.apply();          // checks preconditions, then creates what is missing
 * replication.awaitInitialSync(Duration.ofMinutes(5));
 * }</pre>
 *
 * <ul>
 *   <li>{@link Builder#build()} computes the {@link #setup()} and throws
 *       {@link ResidencyViolationException} when the plan would copy REGULATED rows to a region that
 *       their home's residency rules do not allow. Nothing has touched a database at that point.</li>
 *   <li>{@link #apply()} first runs {@link #check()} and throws {@link ReplicationPreconditionException}
 *       listing every problem, before any DDL. Then it creates or alters the publications, creates the
 *       subscriptions with {@code copy_data = true}, refreshes and re-enables existing ones, and drops
 *       the objects with the plan's name prefix that the plan no longer needs. Running it again changes
 *       nothing.</li>
 *   <li>{@link #teardown()} drops every subscription and publication with the plan's prefix and the
 *       slots of the plan's subscriptions, in the configured database only. Running it again changes
 *       nothing.</li>
 * </ul>
 *
 * <p>Replication runs one way per table and row: GLOBAL tables from the primary region, REGULATED
 * rows from their home region. Writes to a replicated copy are not sent back and may break the
 * subscription on a conflict, so applications must write GLOBAL tables in the primary and REGULATED
 * rows in their home region only. Logical replication copies neither DDL nor sequences.
 *
 * <p>Thread-safe: {@link #apply()} and {@link #teardown()} are serialised on this instance.
 */
public final class LogicalReplication {

    /** Default poll interval of {@link #awaitInitialSync(Duration)}: 100 ms. */
    public static final Duration DEFAULT_SYNC_POLL_INTERVAL = Duration.ofMillis(100);

    private final Topology topology;
    private final ReplicationPlan plan;
    private final ReplicationSetup setup;
    private final Map<Region, ReplicationEndpoint> endpoints;

    private LogicalReplication(Topology topology, ReplicationPlan plan, ReplicationSetup setup,
            Map<Region, ReplicationEndpoint> endpoints) {
        this.topology = topology;
        this.plan = plan;
        this.setup = setup;
        this.endpoints = Map.copyOf(endpoints);
    }

    /**
     * Starts a builder.
     *
     * @param topology the regions, the primary and the residency rules
     * @return a builder
     */
    public static Builder builder(Topology topology) {
        return new Builder(Objects.requireNonNull(topology, "topology must not be null"));
    }

    /** The topology. */
    public Topology topology() {
        return topology;
    }

    /** The plan. */
    public ReplicationPlan plan() {
        return plan;
    }

    /** The publications and subscriptions the plan needs; checked against residency already. */
    public ReplicationSetup setup() {
        return setup;
    }

    /**
     * The statements {@link #apply()} runs on empty databases, by region, for review. Connection
     * strings are masked.
     *
     * @return region to statements, publications first
     */
    public Map<Region, List<String>> ddl() {
        Map<Region, List<String>> out = new LinkedHashMap<>();
        for (Region region : topology.regions()) {
            List<String> statements = new ArrayList<>();
            setup.publicationsOf(region).forEach(p -> statements.add(Ddl.createPublication(p)));
            setup.subscriptionsOf(region).forEach(s -> statements.add(Ddl.createSubscription(s, Ddl.MASKED_CONNINFO)));
            if (!statements.isEmpty()) {
                out.put(region, List.copyOf(statements));
            }
        }
        return out;
    }

    /**
     * Checks, without changing anything, that the databases are ready for the plan.
     *
     * @return every problem found, each naming the region, the table and the fix; empty when ready
     */
    public List<String> check() {
        Map<Region, DataSource> admins = new LinkedHashMap<>();
        endpoints.forEach((r, e) -> admins.put(r, e.admin()));
        return PreconditionChecker.check(setup, admins);
    }

    /**
     * Checks the preconditions, then brings the databases to the plan. Idempotent.
     *
     * @throws ReplicationPreconditionException if a precondition fails; no DDL has run
     * @throws RegionRouterException if a statement fails; the databases are partly applied and a new
     *         call continues from there
     */
    public synchronized void apply() {
        List<String> problems = check();
        if (!problems.isEmpty()) {
            throw new ReplicationPreconditionException(problems);
        }
        try {
            new Reconciler(setup, topology.regions(), endpoints).apply();
        } catch (SQLException e) {
            throw new RegionRouterException("replication apply failed: " + e.getMessage(), e);
        }
    }

    /**
     * Waits until every planned subscription has finished its initial copy and streams changes.
     *
     * @param timeout how long to wait at most
     * @throws RegionRouterException if the copy has not finished in time; names the subscriptions
     * @throws InterruptedException if interrupted while waiting
     */
    public void awaitInitialSync(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout must not be null");
        new SyncWaiter(setup, endpoints, System::nanoTime, DEFAULT_SYNC_POLL_INTERVAL).await(timeout);
    }

    /**
     * Drops every subscription and publication whose name has the plan's prefix, and the logical
     * slots of the plan's subscriptions, in every region's database. Only the configured database
     * is touched: another database's slots on the same server, even with the same prefix, survive.
     * Idempotent. Keeps going after a failure (an unreachable region, say).
     *
     * @throws RegionRouterException naming what could not be dropped; call again once the region is back
     */
    public synchronized void teardown() {
        new Reconciler(setup, topology.regions(), endpoints).teardown();
    }

    @Override
    public String toString() {
        return "LogicalReplication[" + setup.publications().size() + " publications, " + setup.subscriptions().size()
                + " subscriptions, prefix=" + setup.namePrefix() + "]";
    }

    /** Builder of {@link LogicalReplication}. */
    public static final class Builder {
        private final Topology topology;
        private ReplicationPlan plan;
        private final Map<Region, ReplicationEndpoint> endpoints = new LinkedHashMap<>();

        private Builder(Topology topology) {
            this.topology = topology;
        }

        /**
         * Sets the plan. Required.
         *
         * @param plan the plan
         * @return this builder
         */
        public Builder plan(ReplicationPlan plan) {
            this.plan = Objects.requireNonNull(plan, "plan must not be null");
            return this;
        }

        /**
         * Sets how to reach a region's database.
         *
         * @param region a region of the topology
         * @param endpoint its endpoint
         * @return this builder
         */
        public Builder endpoint(Region region, ReplicationEndpoint endpoint) {
            Objects.requireNonNull(region, "endpoint.region must not be null");
            Objects.requireNonNull(endpoint, () -> "endpoints." + region + " must not be null");
            if (!topology.contains(region)) {
                throw new InvalidConfigurationException("endpoints." + region, region, "endpoints." + region
                        + ": region must be one of the topology's regions " + topology.regions() + ", but was " + region);
            }
            if (endpoints.containsKey(region)) {
                throw new InvalidConfigurationException("endpoints." + region, region,
                        "endpoints." + region + ": region must be configured once, but was configured twice");
            }
            endpoints.put(region, endpoint);
            return this;
        }

        /**
         * Plans the setup and checks it against the residency rules. Touches no database.
         *
         * @return the helper
         * @throws ResidencyViolationException if the plan copies REGULATED rows to a region their home does not allow
         * @throws InvalidConfigurationException if the plan is missing, or a region taking part has no endpoint
         */
        public LogicalReplication build() {
            if (plan == null) {
                throw new InvalidConfigurationException("plan", null, "plan must be set, but was null");
            }
            ReplicationSetup setup = Planner.plan(topology, plan);
            Set<Region> needed = new LinkedHashSet<>();
            setup.publications().forEach(p -> needed.add(p.region()));
            setup.subscriptions().forEach(s -> {
                needed.add(s.subscriber());
                needed.add(s.publisher());
            });
            needed.removeAll(endpoints.keySet());
            if (!needed.isEmpty()) {
                throw new InvalidConfigurationException("endpoints", needed, "endpoints must be configured for every region"
                        + " the plan replicates from or to, but these have none: " + needed);
            }
            return new LogicalReplication(topology, plan, setup, endpoints);
        }
    }
}
