package io.regionrouter.mongo;

import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Region;
import io.regionrouter.core.Topology;
import io.regionrouter.core.support.Messages;
import io.regionrouter.mongo.internal.Reconfiguration;
import io.regionrouter.mongo.internal.SetMember;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.bson.Document;

/**
 * A replica set spread across regions, planned from a {@link Topology} the way {@link ZoneSharding}
 * plans zones:
 *
 * <ul>
 *   <li><b>Priorities</b> put the primary in the topology's primary region and order the other
 *       regions by their proximity to it; within a region, members declared first rank higher. No
 *       two electable members share a priority, so it is always clear where the primary goes.</li>
 *   <li><b>Tags</b>: every member carries {@code {region: <id>}}, which
 *       {@link RegionAwareServerSelector} and the nearest read preference use.</li>
 *   <li><b>Votes</b>: at most 7 members vote, as MongoDB requires. When more may vote, voters are
 *       taken one region at a time, in priority order, so that votes spread over regions; the others
 *       get {@code votes: 0} and priority 0. Delayed members never vote and, like hidden ones, never
 *       become primary.</li>
 * </ul>
 *
 * <p>Two checks run at {@link Builder#build()}: residency (a set that holds REGULATED data has
 * members only in regions that every declared home region allows) and survivability (the loss of any
 * one region must leave {@code w: "majority"} writes working, unless
 * {@link Builder#acceptMajorityWriteLoss()} says otherwise; see {@link ReplicaSetSurvivability}).
 *
 * <p>{@link #commands()} gives the plan without contacting anything; {@link #dryRun} reads the set's
 * configuration and returns only the reconfigurations needed, one voting change each;
 * {@link #apply} runs them. Immutable and thread-safe.
 *
 * <pre>{@code
 * ReplicaSetPlan plan = ReplicaSetPlan.builder(topology)      // primary us, proximity us -> eu -> ap
 *     .name("rs0")
 *     .member("us", "mongo-0.us:27017").member("us", "mongo-1.us:27017")
 *     .member("eu", "mongo-2.eu:27017").member("eu", "mongo-3.eu:27017")
 *     .member("ap", "mongo-4.ap:27017")
 *     .globalDataOnly()
 *     .build();
 * plan.survivability().report();                               // each single region lost
 * plan.apply(ReplicaSetAdmin.of(client));
 * }</pre>
 */
public final class ReplicaSetPlan {

    /** MongoDB's limit on voting members: {@value}. */
    public static final int MAX_VOTERS = 7;
    /** MongoDB's limit on members: {@value}. */
    public static final int MAX_MEMBERS = 50;
    /** The longest delay a member may have: 365 days. */
    public static final Duration MAX_DELAY = Duration.ofDays(365);

    private static final Pattern SET_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern HOST = Pattern.compile("([A-Za-z0-9]([A-Za-z0-9.-]{0,252})|\\[[0-9A-Fa-f:.]{2,45}\\]):([0-9]{1,5})");

    private final String name;
    private final String tagName;
    private final List<ReplicaSetMember> members;
    private final List<Integer> votes;
    private final List<Integer> priorities;

    private ReplicaSetPlan(Builder b, List<Integer> votes, List<Integer> priorities) {
        this.name = b.name;
        this.tagName = b.tagName;
        this.members = List.copyOf(b.members);
        this.votes = List.copyOf(votes);
        this.priorities = List.copyOf(priorities);
    }

    /**
     * Starts a builder.
     *
     * @param topology the regions, the primary region and the proximity order
     * @return a builder
     */
    public static Builder builder(Topology topology) {
        return new Builder(topology);
    }

    /** The replica set's name. */
    public String name() {
        return name;
    }

    /** The members, in declaration order, which is also their {@code _id} order. */
    public List<ReplicaSetMember> members() {
        return members;
    }

    /**
     * The configuration for {@code replSetInitiate}: {@code _id}, {@code version: 1} and the members
     * with their priorities, votes, tags, and hidden and delay settings.
     *
     * @return a new document
     */
    public Document config() {
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            docs.add(memberDocument(i));
        }
        return new Document("_id", name).append("version", 1).append("members", docs);
    }

    private Document memberDocument(int i) {
        ReplicaSetMember m = members.get(i);
        Document d = new Document("_id", i).append("host", m.host()).append("priority", priorities.get(i))
                .append("votes", votes.get(i)).append("tags", new Document(tagName, m.region().id()));
        if (m.hidden() || m.delayed()) {
            d.append("hidden", true);
        }
        if (m.delayed()) {
            d.append("secondaryDelaySecs", m.delay().toSeconds());
        }
        return d;
    }

    /** The plan as commands, without contacting anything: one {@code replSetInitiate}. */
    public List<Document> commands() {
        return List.of(new Document("replSetInitiate", config()));
    }

    /**
     * Reads the set's configuration and returns what would bring it to the plan, without running it.
     *
     * @param admin the set's admin
     * @return the commands that would run
     * @throws IllegalStateException if the set's name differs from the plan's, or a member would have
     *     to change from arbiter to data-bearing in place
     */
    public ReplicaSetChange dryRun(ReplicaSetAdmin admin) {
        return new ReplicaSetChange(plan(admin), true);
    }

    /**
     * Reads the set's configuration and runs what brings it to the plan, one command after the other.
     * MongoDB refuses a reconfiguration while the previous one is not yet committed by a majority; such
     * an error is passed on, and running {@code apply} again resumes from where the set is.
     *
     * @param admin the set's admin
     * @return the commands that ran
     */
    public ReplicaSetChange apply(ReplicaSetAdmin admin) {
        List<Document> commands = plan(admin);
        for (Document command : commands) {
            admin.runAdminCommand(command);
        }
        return new ReplicaSetChange(commands, false);
    }

    private List<Document> plan(ReplicaSetAdmin admin) {
        Objects.requireNonNull(admin, "admin must not be null");
        Optional<Document> current = admin.currentConfig();
        if (current.isEmpty()) {
            return commands();
        }
        Object currentName = current.get().get("_id");
        if (!name.equals(currentName)) {
            throw new IllegalStateException("the replica set is named " + Messages.quote(currentName) + ", but the plan is for "
                    + Messages.quote(name));
        }
        List<Document> wanted = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            wanted.add(memberDocument(i));
        }
        return Reconfiguration.steps(current.get(), wanted).stream().map(c -> new Document("replSetReconfig", c)).toList();
    }

    /** Whether the planned set can still elect a primary and take majority writes when regions are lost. */
    public ReplicaSetSurvivability survivability() {
        List<SetMember> set = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            ReplicaSetMember m = members.get(i);
            set.add(new SetMember(m.host(), m.region(), votes.get(i), priorities.get(i), false, m.delayed()));
        }
        return new ReplicaSetSurvivability(set);
    }

    @Override
    public String toString() {
        return "ReplicaSetPlan[" + name + ", " + members.size() + " members, " + votes.stream().mapToInt(Integer::intValue).sum()
                + " votes]";
    }

    /** Builder of {@link ReplicaSetPlan}. Not thread-safe. */
    public static final class Builder {
        private final Topology topology;
        private String name;
        private String tagName = RegionAwareServerSelector.DEFAULT_TAG_NAME;
        private final List<ReplicaSetMember> members = new ArrayList<>();
        private final Set<String> hosts = new HashSet<>();
        private Set<Region> regulatedHomes;
        private boolean globalOnly;
        private boolean acceptMajorityWriteLoss;

        private Builder(Topology topology) {
            this.topology = Objects.requireNonNull(topology, "topology must not be null");
        }

        /**
         * Sets the replica set's name. Required.
         *
         * @param name 1..64 of [A-Za-z0-9_.-]
         * @return this builder
         */
        public Builder name(String name) {
            if (name == null || !SET_NAME.matcher(name).matches()) {
                throw new InvalidConfigurationException("replicaSet.name", name,
                        "replicaSet.name must be 1..64 of [A-Za-z0-9_.-], but was " + Messages.quote(name));
            }
            this.name = name;
            return this;
        }

        /**
         * The tag that carries each member's region; default {@value RegionAwareServerSelector#DEFAULT_TAG_NAME}.
         *
         * @param tagName the tag name
         * @return this builder
         */
        public Builder tagName(String tagName) {
            if (tagName == null || tagName.isBlank() || tagName.length() > 64) {
                throw new InvalidConfigurationException("replicaSet.tagName", tagName,
                        "replicaSet.tagName must be 1..64 characters and not blank, but was " + Messages.quote(tagName));
            }
            this.tagName = tagName;
            return this;
        }

        /**
         * Adds a member that holds data, may vote and may become primary.
         *
         * @param region the region it runs in
         * @param host {@code host:port}
         * @return this builder
         */
        public Builder member(String region, String host) {
            return add(region, host, false, Duration.ZERO, true);
        }

        /**
         * Adds a hidden member: it holds data and may vote, but clients never read from it and it
         * never becomes primary.
         *
         * @param region the region it runs in
         * @param host {@code host:port}
         * @return this builder
         */
        public Builder hiddenMember(String region, String host) {
            return add(region, host, true, Duration.ZERO, true);
        }

        /**
         * Adds a delayed member, which trails the primary by {@code delay}, for recovery from a
         * mistake. It is hidden, never primary, and never votes.
         *
         * @param region the region it runs in
         * @param host {@code host:port}
         * @param delay 1 s .. 365 days
         * @return this builder
         */
        public Builder delayedMember(String region, String host, Duration delay) {
            if (delay == null || delay.compareTo(Duration.ofSeconds(1)) < 0 || delay.compareTo(MAX_DELAY) > 0) {
                throw new InvalidConfigurationException("replicaSet.members[" + host + "].delay", delay,
                        "replicaSet.members[" + Messages.printable(String.valueOf(host)) + "].delay must be in 1s.."
                                + MAX_DELAY.toDays() + "d, but was " + delay);
            }
            return add(region, host, true, delay, false);
        }

        /**
         * Adds a member that holds data and serves reads but never votes and never becomes primary.
         *
         * @param region the region it runs in
         * @param host {@code host:port}
         * @return this builder
         */
        public Builder nonVotingMember(String region, String host) {
            return add(region, host, false, Duration.ZERO, false);
        }

        private Builder add(String regionId, String host, boolean hidden, Duration delay, boolean voting) {
            String field = "replicaSet.members[" + members.size() + "]";
            Region region = regionId == null ? null : Region.of(regionId);
            if (region == null || !topology.contains(region)) {
                throw new InvalidConfigurationException(field + ".region", regionId, field + ".region must be one of the topology's regions "
                        + topology.regions() + ", but was " + Messages.quote(regionId));
            }
            if (host == null || !HOST.matcher(host).matches() || !validPort(host)) {
                throw new InvalidConfigurationException(field + ".host", host, field + ".host must be host:port with a port in 1..65535,"
                        + " but was " + Messages.quote(host));
            }
            if (!hosts.add(host.toLowerCase(Locale.ROOT))) {
                throw new InvalidConfigurationException(field + ".host", host, field + ".host must be unique in the set, but "
                        + Messages.quote(host) + " is already a member");
            }
            if (members.size() == MAX_MEMBERS) {
                throw new InvalidConfigurationException("replicaSet.members", members.size() + 1,
                        "replicaSet.members must be at most " + MAX_MEMBERS + ", but " + Messages.quote(host) + " would be member "
                                + (MAX_MEMBERS + 1));
            }
            members.add(new ReplicaSetMember(region, host, hidden, delay, voting));
            return this;
        }

        private static boolean validPort(String host) {
            int port = Integer.parseInt(host.substring(host.lastIndexOf(':') + 1));
            return port >= 1 && port <= 65535;
        }

        /**
         * Declares that the set holds REGULATED data homed in these regions: every member must be in a
         * region that each of them allows. This or {@link #globalDataOnly()} is required.
         *
         * @param homes the home regions of the regulated data the set holds
         * @return this builder
         */
        public Builder regulatedDataOf(String... homes) {
            if (homes == null || homes.length == 0) {
                throw new InvalidConfigurationException("replicaSet.regulatedDataOf", "[]",
                        "replicaSet.regulatedDataOf must name at least one home region, but was empty");
            }
            Set<Region> set = new LinkedHashSet<>();
            for (String home : homes) {
                Region region = home == null ? null : Region.of(home);
                if (region == null || !topology.contains(region)) {
                    throw new InvalidConfigurationException("replicaSet.regulatedDataOf", home,
                            "replicaSet.regulatedDataOf must name the topology's regions " + topology.regions() + ", but was "
                                    + Messages.quote(home));
                }
                set.add(region);
            }
            this.regulatedHomes = Collections.unmodifiableSet(set);
            return this;
        }

        /**
         * Declares that the set holds no REGULATED data, so members may be in any region. This or
         * {@link #regulatedDataOf(String...)} is required, so that a set never spreads regulated data
         * by default.
         *
         * @return this builder
         */
        public Builder globalDataOnly() {
            this.globalOnly = true;
            return this;
        }

        /**
         * Accepts a plan in which the loss of one region stops {@code w: "majority"} writes (a set in
         * one or two regions, say). Without it, {@link #build()} refuses such a plan.
         *
         * @return this builder
         */
        public Builder acceptMajorityWriteLoss() {
            this.acceptMajorityWriteLoss = true;
            return this;
        }

        /**
         * Plans priorities and votes and checks residency and survivability.
         *
         * @return the plan
         * @throws InvalidConfigurationException naming the field and value of the first problem
         */
        public ReplicaSetPlan build() {
            if (name == null) {
                throw new InvalidConfigurationException("replicaSet.name", null, "replicaSet.name must be set, but was null");
            }
            if (members.isEmpty()) {
                throw new InvalidConfigurationException("replicaSet.members", "[]", "replicaSet.members must list at least one member,"
                        + " but was empty");
            }
            checkResidency();
            List<Integer> votes = votes();
            if (votes.stream().noneMatch(v -> v > 0)) {
                throw new InvalidConfigurationException("replicaSet.members", "0 voters", "replicaSet.members must include at least"
                        + " one voting member, but every member is delayed or non-voting");
            }
            List<Integer> priorities = priorities(votes);
            if (priorities.stream().noneMatch(p -> p > 0)) {
                throw new InvalidConfigurationException("replicaSet.members", "0 electable", "replicaSet.members must include at least"
                        + " one member that may become primary (voting, not hidden, not delayed), but has none");
            }
            ReplicaSetPlan plan = new ReplicaSetPlan(this, votes, priorities);
            if (!acceptMajorityWriteLoss) {
                List<RegionLoss> stops = plan.survivability().report().stopsMajorityWrites();
                if (!stops.isEmpty()) {
                    throw new InvalidConfigurationException("replicaSet.members", stops.get(0).lost(),
                            "replicaSet.members must keep w:majority writes working when any one region is lost, but: " + stops
                                    + "; add voting members in other regions, or call acceptMajorityWriteLoss()");
                }
            }
            return plan;
        }

        private void checkResidency() {
            if (regulatedHomes == null && !globalOnly) {
                throw new InvalidConfigurationException("replicaSet.dataClass", null, "replicaSet must declare what it holds:"
                        + " regulatedDataOf(homes...) or globalDataOnly(), but declared neither");
            }
            if (regulatedHomes == null) {
                return;
            }
            for (int i = 0; i < members.size(); i++) {
                ReplicaSetMember m = members.get(i);
                for (Region home : regulatedHomes) {
                    if (!topology.isAllowed(home, m.region())) {
                        throw new InvalidConfigurationException("replicaSet.members[" + i + "].region", m.region().id(),
                                "replicaSet.members[" + i + "] (" + Messages.quote(m.host()) + ") is in " + m.region()
                                        + ", which may not hold REGULATED data homed in " + home + " (allowed: "
                                        + topology.allowedRegions(home) + ")");
                    }
                }
            }
        }

        /** Regions from the primary outwards. */
        private List<Region> rank() {
            List<Region> order = new ArrayList<>();
            order.add(topology.primary());
            order.addAll(topology.proximity(topology.primary()));
            return order;
        }

        private List<Integer> votes() {
            Map<Region, List<Integer>> eligible = new LinkedHashMap<>();
            for (Region r : rank()) {
                eligible.put(r, new ArrayList<>());
            }
            // electable members first, so that votes go where a primary can be elected
            for (int pass = 0; pass < 2; pass++) {
                for (int i = 0; i < members.size(); i++) {
                    ReplicaSetMember m = members.get(i);
                    if (m.voting() && m.electable() == (pass == 0)) {
                        eligible.get(m.region()).add(i);
                    }
                }
            }
            List<Integer> votes = new ArrayList<>(Collections.nCopies(members.size(), 0));
            int given = 0;
            boolean any = true;
            while (given < MAX_VOTERS && any) {
                any = false;
                for (List<Integer> queue : eligible.values()) {
                    if (given < MAX_VOTERS && !queue.isEmpty()) {
                        votes.set(queue.remove(0), 1);
                        given++;
                        any = true;
                    }
                }
            }
            return votes;
        }

        private List<Integer> priorities(List<Integer> votes) {
            List<Region> rank = rank();
            Map<Region, List<Integer>> electable = new LinkedHashMap<>();
            for (Region r : rank) {
                electable.put(r, new ArrayList<>());
            }
            for (int i = 0; i < members.size(); i++) {
                if (members.get(i).electable() && votes.get(i) > 0) {
                    electable.get(members.get(i).region()).add(i);
                }
            }
            int band = electable.values().stream().mapToInt(List::size).max().orElse(0);
            List<Integer> priorities = new ArrayList<>(Collections.nCopies(members.size(), 0));
            for (int r = 0; r < rank.size(); r++) {
                List<Integer> inRegion = electable.get(rank.get(r));
                for (int j = 0; j < inRegion.size(); j++) {
                    priorities.set(inRegion.get(j), (rank.size() - r) * band - j);
                }
            }
            return priorities;
        }
    }
}
