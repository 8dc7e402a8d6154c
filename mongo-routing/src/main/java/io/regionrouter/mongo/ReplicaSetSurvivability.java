package io.regionrouter.mongo;

import io.regionrouter.core.Region;
import io.regionrouter.core.support.Messages;
import io.regionrouter.mongo.internal.SetMember;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.bson.Document;

/**
 * Whether a replica set spread across regions can still elect a primary and acknowledge
 * {@code w: "majority"} writes when whole regions are lost, for a planned configuration
 * ({@link ReplicaSetPlan#survivability()}) or one read from a live set ({@link #of(Document)}).
 *
 * <p>The rules are MongoDB's:
 * <ul>
 *   <li>an election needs a strict majority of all votes, arbiters' included, among the members
 *       that remain, and a remaining member that holds data with priority above 0;</li>
 *   <li>a {@code w: "majority"} write needs a primary and acknowledgements from the <em>calculated
 *       majority</em>: the smaller of a majority of all votes and the number of voting members that
 *       hold data. Delayed members are not counted as acknowledging, since they acknowledge only after
 *       their delay;</li>
 *   <li>the primary goes to the remaining electable member with the highest priority.</li>
 * </ul>
 * Each member's region is its region tag. Immutable and thread-safe.
 */
public final class ReplicaSetSurvivability {

    private final List<SetMember> members;

    ReplicaSetSurvivability(List<SetMember> members) {
        this.members = List.copyOf(members);
    }

    /**
     * Reads a replica-set configuration, as {@code replSetGetConfig} returns it under {@code config},
     * with each member's region in its {@code tags.region}.
     *
     * @param config the configuration document
     * @return the check for that configuration
     * @throws IllegalArgumentException if the document has no members or a member has no region tag
     */
    public static ReplicaSetSurvivability of(Document config) {
        return of(config, RegionAwareServerSelector.DEFAULT_TAG_NAME);
    }

    /**
     * Reads a replica-set configuration whose members carry their region in the tag {@code tagName}.
     *
     * @param config the configuration document
     * @param tagName the tag that holds the region
     * @return the check for that configuration
     * @throws IllegalArgumentException if the document has no members or a member has no region tag
     */
    public static ReplicaSetSurvivability of(Document config, String tagName) {
        Objects.requireNonNull(config, "config must not be null");
        Objects.requireNonNull(tagName, "tagName must not be null");
        List<Document> docs = config.getList("members", Document.class);
        if (docs == null || docs.isEmpty()) {
            throw new IllegalArgumentException("config.members must list at least one member, but was " + docs);
        }
        List<SetMember> members = new ArrayList<>();
        for (Document m : docs) {
            String host = String.valueOf(m.get("host"));
            Document tags = m.get("tags", Document.class);
            Object region = tags == null ? null : tags.get(tagName);
            if (!(region instanceof String id)) {
                throw new IllegalArgumentException("config.members[host=" + Messages.quote(host) + "].tags." + tagName
                        + " must name the member's region, but was " + Messages.quote(region));
            }
            boolean arbiter = Boolean.TRUE.equals(m.get("arbiterOnly"));
            int votes = number(m, "votes", 1).intValue();
            double priority = number(m, "priority", arbiter ? 0 : 1).doubleValue();
            double delay = m.containsKey("secondaryDelaySecs") ? number(m, "secondaryDelaySecs", 0).doubleValue()
                    : number(m, "slaveDelay", 0).doubleValue();
            members.add(new SetMember(host, Region.of(id), votes, priority, arbiter, delay > 0));
        }
        return new ReplicaSetSurvivability(members);
    }

    private static Number number(Document member, String field, Number fallback) {
        Object value = member.get(field);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number n) {
            return n;
        }
        throw new IllegalArgumentException("config.members[host=" + Messages.quote(member.get("host")) + "]." + field
                + " must be a number, but was " + Messages.quote(value));
    }

    /** The regions that hold at least one member, in the order of the configuration. */
    public List<Region> regions() {
        return members.stream().map(SetMember::region).distinct().toList();
    }

    /**
     * What the set can still do without the members of the given regions.
     *
     * @param lost the regions lost; regions without members change nothing
     * @return the outcome
     */
    public RegionLoss ifLost(Set<Region> lost) {
        Objects.requireNonNull(lost, "lost must not be null");
        int totalVotes = members.stream().mapToInt(SetMember::votes).sum();
        int needed = totalVotes / 2 + 1;
        List<SetMember> left = members.stream().filter(m -> !lost.contains(m.region())).toList();
        int votesLeft = left.stream().mapToInt(SetMember::votes).sum();
        List<SetMember> electable = left.stream().filter(SetMember::electable).toList();
        boolean primary = votesLeft >= needed && !electable.isEmpty();

        long dataVoters = members.stream().filter(m -> m.votes() > 0 && !m.arbiter()).count();
        long writeMajority = Math.min(needed, dataVoters);
        long acknowledging = left.stream().filter(SetMember::acknowledgesMajorityWrites).count();
        boolean majorityWrites = primary && acknowledging >= writeMajority;

        Set<Region> primaryRegions = new LinkedHashSet<>();
        if (primary) {
            double top = electable.stream().mapToDouble(SetMember::priority).max().orElseThrow();
            electable.stream().filter(m -> m.priority() == top).forEach(m -> primaryRegions.add(m.region()));
        }
        return new RegionLoss(lost, votesLeft, needed, primary, majorityWrites, primaryRegions);
    }

    /** The outcome of losing each region that holds members, one at a time. */
    public SurvivabilityReport report() {
        return report(false);
    }

    /**
     * The outcome of losing each region that holds members and, if asked, each pair of them.
     *
     * @param pairs whether to add every pair of regions
     * @return the report, single regions first
     */
    public SurvivabilityReport report(boolean pairs) {
        List<Region> regions = regions();
        List<RegionLoss> losses = new ArrayList<>();
        for (Region r : regions) {
            losses.add(ifLost(Set.of(r)));
        }
        if (pairs) {
            for (int i = 0; i < regions.size(); i++) {
                for (int j = i + 1; j < regions.size(); j++) {
                    losses.add(ifLost(Set.of(regions.get(i), regions.get(j))));
                }
            }
        }
        return new SurvivabilityReport(losses);
    }

    @Override
    public String toString() {
        return "ReplicaSetSurvivability" + members.stream().map(m -> m.host() + "@" + m.region() + "(votes=" + m.votes()
                + ", priority=" + m.priority() + ")").collect(Collectors.joining(", ", "[", "]"));
    }
}
