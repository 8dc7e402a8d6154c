package io.regionrouter.jdbc.replication;

import io.regionrouter.core.DataClass;
import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Region;
import io.regionrouter.core.support.Sql;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What to replicate, independent of where the databases are: a list of {@link DataClass#GLOBAL}
 * and {@link DataClass#REGULATED} tables and which regulated copies are wanted.
 *
 * <pre>{@code
 * ReplicationPlan plan = ReplicationPlan.builder()
 *     .global("products")                     // primary region -> every region
 *     .regulated("users", "region")           // rows stay in their home region ...
 *     .copyRegulatedToAllowedRegions()        // ... unless the residency rules allow other regions
 *     .build();
 * }</pre>
 *
 * <ul>
 *   <li>GLOBAL tables are published by the topology's primary region and subscribed by every other
 *       region.</li>
 *   <li>REGULATED rows never leave their home region by default. {@link Builder#copyRegulated} asks
 *       for copies of the rows homed in one region in other regions, and
 *       {@link Builder#copyRegulatedToAllowedRegions()} asks for a copy in every region the residency
 *       rules allow. {@link LogicalReplication} refuses a plan that asks for a copy in a region the
 *       rules do not allow, before any DDL runs.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class ReplicationPlan {

    /** Default prefix of the publications, subscriptions and slots region-router owns: {@value}. */
    public static final String DEFAULT_NAME_PREFIX = "rr";
    /** Longest name prefix. */
    public static final int MAX_NAME_PREFIX_LENGTH = 16;

    private final List<ReplicatedTable> tables;
    private final List<ActiveActiveTable> activeActive;
    private final Map<String, Set<String>> regulatedCopies;
    private final boolean copyToAllowedRegions;
    private final String namePrefix;

    private ReplicationPlan(Builder b) {
        this.tables = List.copyOf(b.tables.values());
        this.activeActive = List.copyOf(b.activeActive.values());
        Map<String, Set<String>> copies = new LinkedHashMap<>();
        b.regulatedCopies.forEach((home, targets) -> copies.put(home, Collections.unmodifiableSet(new LinkedHashSet<>(targets))));
        this.regulatedCopies = Collections.unmodifiableMap(copies);
        this.copyToAllowedRegions = b.copyToAllowedRegions;
        this.namePrefix = b.namePrefix;
    }

    /** Returns a builder of an empty plan. */
    public static Builder builder() {
        return new Builder();
    }

    /** The tables, in declaration order. */
    public List<ReplicatedTable> tables() {
        return tables;
    }

    /** The active-active GLOBAL tables, in declaration order; not part of {@link #tables()}. */
    public List<ActiveActiveTable> activeActiveTables() {
        return activeActive;
    }

    /** The GLOBAL tables, in declaration order. */
    public List<ReplicatedTable> globalTables() {
        return tables.stream().filter(t -> t.dataClass() == DataClass.GLOBAL).toList();
    }

    /** The REGULATED tables, in declaration order. */
    public List<ReplicatedTable> regulatedTables() {
        return tables.stream().filter(t -> t.dataClass() == DataClass.REGULATED).toList();
    }

    /**
     * The regulated copies asked for explicitly: home region id to the ids of the regions that should
     * receive copies of its rows. Not yet checked against residency rules; {@link LogicalReplication}
     * does that.
     */
    public Map<String, Set<String>> regulatedCopies() {
        return regulatedCopies;
    }

    /** Whether every home region's rows are copied to every other region its residency rules allow. */
    public boolean copyRegulatedToAllowedRegions() {
        return copyToAllowedRegions;
    }

    /** The prefix of every publication, subscription and slot name that region-router creates. */
    public String namePrefix() {
        return namePrefix;
    }

    /** Returns a builder initialised with this plan. */
    public Builder toBuilder() {
        Builder b = new Builder();
        tables.forEach(t -> b.tables.put(t.name(), t));
        activeActive.forEach(t -> b.activeActive.put(t.name(), t));
        regulatedCopies.forEach((home, targets) -> b.regulatedCopies.put(home, new LinkedHashSet<>(targets)));
        b.copyToAllowedRegions = copyToAllowedRegions;
        b.namePrefix = namePrefix;
        return b;
    }

    @Override
    public String toString() {
        return "ReplicationPlan[tables=" + tables + ", activeActive=" + activeActive + ", regulatedCopies=" + regulatedCopies
                + ", copyRegulatedToAllowedRegions=" + copyToAllowedRegions + ", namePrefix=" + namePrefix + "]";
    }

    /** Builder of {@link ReplicationPlan}. Each setter checks its own arguments. */
    public static final class Builder {
        private final Map<String, ReplicatedTable> tables = new LinkedHashMap<>();
        private final Map<String, ActiveActiveTable> activeActive = new LinkedHashMap<>();
        private final Map<String, Set<String>> regulatedCopies = new LinkedHashMap<>();
        private boolean copyToAllowedRegions;
        private String namePrefix = DEFAULT_NAME_PREFIX;

        private Builder() {
        }

        /**
         * Adds a GLOBAL table: written in the primary region, replicated to every region whole.
         *
         * @param table the table name, {@code name} or {@code schema.name}, lower case
         * @return this builder
         */
        public Builder global(String table) {
            return add(new ReplicatedTable(Sql.qualifiedName("plan.table", table, Sql.MAX_IDENTIFIER_LENGTH),
                    DataClass.GLOBAL, null));
        }

        /**
         * Adds a REGULATED table whose rows carry their home region in {@code regionColumn}.
         *
         * @param table the table name, {@code name} or {@code schema.name}, lower case
         * @param regionColumn the column that holds the home region id of each row
         * @return this builder
         */
        public Builder regulated(String table, String regionColumn) {
            String name = Sql.qualifiedName("plan.table", table, Sql.MAX_IDENTIFIER_LENGTH);
            String column = Sql.identifier("plan.table(" + name + ").regionColumn", regionColumn, Sql.MAX_IDENTIFIER_LENGTH);
            return add(new ReplicatedTable(name, DataClass.REGULATED, column));
        }

        /**
         * Adds a GLOBAL table that every region may write: it is replicated in both directions
         * between every pair of regions (subscriptions with {@code origin = none}, PostgreSQL 16+,
         * so changes never loop), and a conflicting update is decided by last write wins on
         * {@code updatedAtColumn}.
         *
         * <p>{@link LogicalReplication#apply()} installs a trigger on the table in every region. It
         * stamps {@code updatedAtColumn} with {@code clock_timestamp()} on every local insert and
         * update, and it drops a replicated update whose timestamp is older than the row's. Exact
         * ties keep the version whose row text has the larger md5, the same in every region.
         *
         * <p>Safe: updates and deletes of existing rows from any region; concurrent updates of a row
         * converge on the latest one; a delete that races an update wins in every region. Not safe:
         * <ul>
         *   <li>inserting the same key in two regions; the second insert to arrive fails with a
         *       unique violation and stops that subscription until repaired, so use keys that are
         *       unique across regions, such as UUIDs;</li>
         *   <li>assuming column-level merges: the whole row of the later write wins;</li>
         *   <li>clocks that disagree by more than the time between conflicting writes: the region
         *       whose clock runs ahead wins;</li>
         *   <li>rows present in a non-primary region at the first apply: only the primary's rows are
         *       copied initially; start with the table empty outside the primary.</li>
         * </ul>
         *
         * @param table the table name, {@code name} or {@code schema.name}, lower case
         * @param updatedAtColumn a {@code timestamptz} column
         * @return this builder
         */
        public Builder activeActive(String table, String updatedAtColumn) {
            String name = Sql.qualifiedName("plan.table", table, Sql.MAX_IDENTIFIER_LENGTH);
            String column = Sql.identifier("plan.table(" + name + ").updatedAtColumn", updatedAtColumn, Sql.MAX_IDENTIFIER_LENGTH);
            if (tables.containsKey(name) || activeActive.containsKey(name)) {
                throw new InvalidConfigurationException("plan.table", name,
                        "plan.table must be declared once, but " + name + " was declared twice");
            }
            activeActive.put(name, new ActiveActiveTable(name, column));
            return this;
        }

        private Builder add(ReplicatedTable table) {
            if (tables.containsKey(table.name()) || activeActive.containsKey(table.name())) {
                throw new InvalidConfigurationException("plan.table", table.name(),
                        "plan.table must be declared once, but " + table.name() + " was declared twice");
            }
            tables.put(table.name(), table);
            return this;
        }

        /**
         * Asks for copies of the REGULATED rows homed in {@code home} in the {@code targets}. Every
         * target must be allowed by the home region's residency rules, or the plan is refused when
         * it is planned against a topology.
         *
         * @param home the home region
         * @param targets the regions that should receive copies, other than home
         * @return this builder
         */
        public Builder copyRegulated(Region home, Region... targets) {
            Objects.requireNonNull(home, "plan.copyRegulated.home must not be null");
            Objects.requireNonNull(targets, "plan.copyRegulated.targets must not be null");
            Set<String> set = regulatedCopies.computeIfAbsent(home.id(), h -> new LinkedHashSet<>());
            for (Region target : targets) {
                Objects.requireNonNull(target, "plan.copyRegulated.targets must not contain null");
                if (target.equals(home)) {
                    throw new InvalidConfigurationException("plan.copyRegulated.targets", target,
                            "plan.copyRegulated.targets must not contain the home region itself, but was " + target);
                }
                set.add(target.id());
            }
            return this;
        }

        /**
         * Asks for copies of the REGULATED rows homed in {@code home} in the {@code targets}.
         *
         * @param home the home region id
         * @param targets the target region ids
         * @return this builder
         */
        public Builder copyRegulated(String home, String... targets) {
            Objects.requireNonNull(targets, "plan.copyRegulated.targets must not be null");
            List<Region> list = new ArrayList<>();
            for (String t : targets) {
                list.add(Region.of(t));
            }
            return copyRegulated(Region.of(home), list.toArray(Region[]::new));
        }

        /**
         * Copies every home region's REGULATED rows to every other region that its residency rules
         * allow. With the default rules (home region only) nothing is copied.
         *
         * @return this builder
         */
        public Builder copyRegulatedToAllowedRegions() {
            this.copyToAllowedRegions = true;
            return this;
        }

        /**
         * Sets the prefix of the names of publications, subscriptions and slots. Default
         * {@value #DEFAULT_NAME_PREFIX}. region-router treats every object with this prefix as its
         * own: apply drops the ones the plan no longer needs, and teardown drops all of them.
         *
         * @param prefix lower-case identifier, at most {@value #MAX_NAME_PREFIX_LENGTH} characters
         * @return this builder
         */
        public Builder namePrefix(String prefix) {
            this.namePrefix = Sql.identifier("plan.namePrefix", prefix, MAX_NAME_PREFIX_LENGTH);
            return this;
        }

        /**
         * Builds the plan.
         *
         * @return the plan
         * @throws InvalidConfigurationException if the plan has no table
         */
        public ReplicationPlan build() {
            if (tables.isEmpty() && activeActive.isEmpty()) {
                throw new InvalidConfigurationException("plan.tables", "[]", "plan.tables must name at least one table, but was empty");
            }
            return new ReplicationPlan(this);
        }
    }
}
