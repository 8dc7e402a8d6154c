package io.regionrouter.jdbc.replication.internal;

import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Region;
import io.regionrouter.core.ResidencyViolationException;
import io.regionrouter.core.Topology;
import io.regionrouter.core.support.Sql;
import io.regionrouter.jdbc.replication.PlannedPublication;
import io.regionrouter.jdbc.replication.PlannedSubscription;
import io.regionrouter.jdbc.replication.ReplicatedTable;
import io.regionrouter.jdbc.replication.ReplicationPlan;
import io.regionrouter.jdbc.replication.ReplicationSetup;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a {@link ReplicationPlan} and a {@link Topology} into publications and subscriptions, and
 * refuses regulated copies that the residency rules do not allow. It also agrees with the router on
 * where regulated rows may be written: a one-way copy into a region that the topology lets take
 * writes of the home region's data ({@link Topology#writableRegions}) is refused, because a write
 * there would conflict with the subscription, stop it, and never be seen at home. Pure; no
 * database access.
 *
 * <ul>
 *   <li>GLOBAL tables: one publication {@code <prefix>_global} in the primary region.</li>
 *   <li>REGULATED tables: one publication {@code <prefix>_regulated_<home>} in each home region
 *       that has copies, filtered to the rows homed there ({@code region IN ('<home>')}).</li>
 *   <li>One subscription {@code <prefix>_<publisher>_to_<subscriber>} per pair of regions that
 *       exchange anything; its slot on the publisher has the same name, so names never collide.</li>
 *   <li>Active-active tables: one publication {@code <prefix>_active_<region>} in every region and
 *       one subscription {@code <prefix>_aa_<publisher>_to_<subscriber>} per ordered pair, with
 *       {@code origin = none}; only subscriptions from the primary copy existing rows.</li>
 * </ul>
 */
public final class Planner {

    private Planner() {
    }

    /**
     * Plans the setup.
     *
     * @param topology the topology
     * @param plan the plan
     * @return the publications and subscriptions
     * @throws ResidencyViolationException if the plan copies regulated rows to a region their home does not allow
     * @throws InvalidConfigurationException if the plan names a region outside the topology, a name gets too long,
     *     or a one-way copy goes into a region that takes writes of the copied rows
     */
    public static ReplicationSetup plan(Topology topology, ReplicationPlan plan) {
        Map<Region, Set<Region>> copies = regulatedCopies(topology, plan);
        String prefix = plan.namePrefix();
        List<ReplicatedTable> global = plan.globalTables();
        List<ReplicatedTable> regulated = plan.regulatedTables();
        List<PlannedPublication> publications = new ArrayList<>();
        String globalName = name(prefix + "_global");
        if (!global.isEmpty()) {
            publications.add(new PlannedPublication(topology.primary(), globalName, global, List.of()));
        }
        Map<Region, String> regulatedNames = new LinkedHashMap<>();
        if (!regulated.isEmpty()) {
            for (Region home : topology.regions()) {
                if (!copies.getOrDefault(home, Set.of()).isEmpty()) {
                    String name = name(prefix + "_regulated_" + Sql.regionSuffix(home.id()));
                    regulatedNames.put(home, name);
                    publications.add(new PlannedPublication(home, name, regulated, List.of(home)));
                }
            }
        }
        List<PlannedSubscription> subscriptions = new ArrayList<>();
        for (Region subscriber : topology.regions()) {
            for (Region publisher : topology.regions()) {
                if (publisher.equals(subscriber)) {
                    continue;
                }
                List<String> pubs = new ArrayList<>();
                if (!global.isEmpty() && publisher.equals(topology.primary())) {
                    pubs.add(globalName);
                }
                if (regulatedNames.containsKey(publisher) && copies.get(publisher).contains(subscriber)) {
                    pubs.add(regulatedNames.get(publisher));
                }
                if (!pubs.isEmpty()) {
                    String name = name(prefix + "_" + Sql.regionSuffix(publisher.id()) + "_to_" + Sql.regionSuffix(subscriber.id()));
                    subscriptions.add(new PlannedSubscription(subscriber, publisher, name, pubs));
                }
            }
        }
        if (!plan.activeActiveTables().isEmpty()) {
            List<ReplicatedTable> tables = plan.activeActiveTables().stream()
                    .map(t -> new ReplicatedTable(t.name(), io.regionrouter.core.DataClass.GLOBAL, null)).toList();
            for (Region region : topology.regions()) {
                publications.add(new PlannedPublication(region, activeName(prefix, region), tables, List.of()));
            }
            for (Region subscriber : topology.regions()) {
                for (Region publisher : topology.regions()) {
                    if (!publisher.equals(subscriber)) {
                        String name = name(prefix + "_aa_" + Sql.regionSuffix(publisher.id()) + "_to_"
                                + Sql.regionSuffix(subscriber.id()));
                        subscriptions.add(new PlannedSubscription(subscriber, publisher, name,
                                List.of(activeName(prefix, publisher)), publisher.equals(topology.primary()), true));
                    }
                }
            }
        }
        return new ReplicationSetup(prefix, publications, subscriptions, plan.activeActiveTables());
    }

    private static String activeName(String prefix, Region region) {
        return name(prefix + "_active_" + Sql.regionSuffix(region.id()));
    }

    private static Map<Region, Set<Region>> regulatedCopies(Topology topology, ReplicationPlan plan) {
        Map<Region, Set<Region>> copies = new LinkedHashMap<>();
        plan.regulatedCopies().forEach((homeId, targetIds) -> {
            Region home = region(topology, "plan.copyRegulated.home", homeId);
            for (String targetId : targetIds) {
                Region target = region(topology, "plan.copyRegulated.targets", targetId);
                if (!topology.isAllowed(home, target)) {
                    throw new ResidencyViolationException(null, home, target);
                }
                copies.computeIfAbsent(home, h -> new LinkedHashSet<>()).add(target);
            }
        });
        if (plan.copyRegulatedToAllowedRegions()) {
            for (Region home : topology.regions()) {
                for (Region allowed : topology.allowedRegions(home)) {
                    if (!allowed.equals(home)) {
                        copies.computeIfAbsent(home, h -> new LinkedHashSet<>()).add(allowed);
                    }
                }
            }
        }
        if (!plan.regulatedTables().isEmpty()) {
            copies.forEach((home, targets) -> targets.forEach(target -> refuseCopyIntoWriter(topology, home, target)));
        }
        return copies;
    }

    private static void refuseCopyIntoWriter(Topology topology, Region home, Region target) {
        if (topology.isWritable(home, target)) {
            String field = "plan.copyRegulated[" + home + "]";
            throw new InvalidConfigurationException(field, target.id(), field + " must not copy rows one way into "
                    + target + ", because topology.multiWriter[" + home + "] lets " + target
                    + " take writes of data homed in " + home + ": a write there would conflict with the subscription"
                    + " and never reach " + home + ". Remove " + target + " from the copies, or from the multi-writer"
                    + " regions, but was " + target);
        }
    }

    private static Region region(Topology topology, String field, String id) {
        Region region = Region.of(id);
        if (!topology.contains(region)) {
            throw new InvalidConfigurationException(field, id, field + " must name a region of the topology "
                    + topology.regions() + ", but was " + id);
        }
        return region;
    }

    private static String name(String name) {
        if (name.length() > Sql.MAX_IDENTIFIER_LENGTH) {
            throw new InvalidConfigurationException("plan.namePrefix", name, "replication object name " + name
                    + " must be at most " + Sql.MAX_IDENTIFIER_LENGTH + " characters, but was " + name.length()
                    + "; choose a shorter plan.namePrefix or shorter region ids");
        }
        return name;
    }
}
