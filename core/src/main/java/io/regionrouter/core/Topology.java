package io.regionrouter.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.regionrouter.core.support.Messages;
import io.regionrouter.core.internal.TopologyValidator;

/**
 * The immutable description of a multi-region deployment, validated when it is built.
 *
 * <p>It holds:
 * <ul>
 *   <li>the regions, in declaration order (at least one);</li>
 *   <li>the local region of this process;</li>
 *   <li>the primary region, which takes writes of {@link DataClass#GLOBAL GLOBAL} data;</li>
 *   <li>for each region, a proximity order that lists every other region exactly once, nearest
 *       first. By default it is the declaration order;</li>
 *   <li>residency rules: for each home region, the regions allowed to hold its
 *       {@link DataClass#REGULATED REGULATED} data. The home region is always allowed; by default
 *       it is the only one;</li>
 *   <li>multi-writer rules: for each home region, the allowed regions that may also take
 *       <em>writes</em> of its REGULATED data while the home region is unavailable. By default none:
 *       writes go to the home region alone, and the other allowed regions hold read-only copies
 *       (subscribers of the home region's rows must never be written, or replication stops with a
 *       conflict).</li>
 * </ul>
 *
 * <pre>{@code
 * Topology topology = Topology.builder()
 *     .regions("us", "eu", "ap")
 *     .local("eu")
 *     .primary("us")
 *     .proximity("eu", "us", "ap")
 *     .residency("eu", "eu")          // EU data stays in the EU (the default)
 *     .residency("us", "ap")          // US data may also live in AP
 *     .build();
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Topology {

    private final List<Region> regions;
    private final Region local;
    private final Region primary;
    private final Map<Region, List<Region>> proximity;
    private final Map<Region, Set<Region>> allowed;
    private final Map<Region, List<Region>> explicitProximity;
    private final Map<Region, Set<Region>> explicitResidency;
    private final Map<Region, Set<Region>> writable;
    private final Map<Region, Set<Region>> explicitMultiWriter;

    private Topology(Builder b, Map<Region, List<Region>> proximity, Map<Region, Set<Region>> allowed,
            Map<Region, Set<Region>> writable) {
        this.regions = List.copyOf(b.regions);
        this.local = b.local;
        this.primary = b.primary;
        this.proximity = proximity;
        this.allowed = allowed;
        this.explicitProximity = copyLists(b.proximity);
        this.explicitResidency = copySets(b.residency);
        this.writable = writable;
        this.explicitMultiWriter = copySets(b.multiWriter);
    }

    /** Returns a new, empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the regions in declaration order. */
    public List<Region> regions() {
        return regions;
    }

    /** Returns the region this process runs in. */
    public Region local() {
        return local;
    }

    /** Returns the region that takes writes of GLOBAL data. */
    public Region primary() {
        return primary;
    }

    /**
     * Returns the other regions ordered from nearest to farthest from {@code from}.
     *
     * @param from a declared region
     * @return every other region exactly once, nearest first
     * @throws InvalidConfigurationException if {@code from} is not declared
     */
    public List<Region> proximity(Region from) {
        requireDeclared("proximity.from", from);
        return proximity.get(from);
    }

    /**
     * Returns the regions allowed to hold REGULATED data homed in {@code home}: the home region
     * first, then the others in the home region's proximity order.
     *
     * @param home a declared region
     * @return the allowed regions, never empty
     * @throws InvalidConfigurationException if {@code home} is not declared
     */
    public Set<Region> allowedRegions(Region home) {
        requireDeclared("residency.home", home);
        return allowed.get(home);
    }

    /**
     * Returns whether REGULATED data homed in {@code home} may be held in {@code target}.
     * An undeclared {@code target} is never allowed.
     *
     * @throws InvalidConfigurationException if {@code home} is not declared
     */
    public boolean isAllowed(Region home, Region target) {
        return allowedRegions(home).contains(target);
    }

    /**
     * Returns the regions that may take writes of REGULATED data homed in {@code home}: the home
     * region first, then the {@link Builder#multiWriter multi-writer} regions in the home region's
     * proximity order. Always a subset of {@link #allowedRegions(Region)}.
     *
     * @param home a declared region
     * @return the writable regions, never empty
     * @throws InvalidConfigurationException if {@code home} is not declared
     */
    public Set<Region> writableRegions(Region home) {
        requireDeclared("residency.home", home);
        return writable.get(home);
    }

    /**
     * Returns whether REGULATED data homed in {@code home} may be written in {@code target}.
     *
     * @throws InvalidConfigurationException if {@code home} is not declared
     */
    public boolean isWritable(Region home, Region target) {
        return writableRegions(home).contains(target);
    }

    /** Returns whether the region is declared in this topology. */
    public boolean contains(Region region) {
        return region != null && proximity.containsKey(region);
    }

    /**
     * Returns the declared region with the given id.
     *
     * @throws InvalidConfigurationException if the id is invalid or not declared
     */
    public Region region(String id) {
        Region region = Region.of(id);
        requireDeclared("region", region);
        return region;
    }

    /** Returns a builder holding this topology's settings, for deriving a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder();
        regions.forEach(b::region);
        b.local(local).primary(primary);
        explicitProximity.forEach((from, order) -> b.proximity(from, order.toArray(new Region[0])));
        explicitResidency.forEach((home, set) -> b.residency(home, set.toArray(new Region[0])));
        explicitMultiWriter.forEach((home, set) -> b.multiWriter(home, set.toArray(new Region[0])));
        return b;
    }

    /**
     * Returns a copy with a different local region, for a process running in another region.
     *
     * @throws InvalidConfigurationException if {@code local} is not declared
     */
    public Topology withLocal(Region local) {
        return toBuilder().local(local).build();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Topology)) {
            return false;
        }
        Topology t = (Topology) o;
        return regions.equals(t.regions) && local.equals(t.local) && primary.equals(t.primary)
                && proximity.equals(t.proximity) && allowed.equals(t.allowed) && writable.equals(t.writable);
    }

    @Override
    public int hashCode() {
        return Objects.hash(regions, local, primary, proximity, allowed, writable);
    }

    @Override
    public String toString() {
        return "Topology{regions=" + regions + ", local=" + local + ", primary=" + primary
                + ", proximity=" + proximity + ", residency=" + allowed + ", writable=" + writable + '}';
    }

    private void requireDeclared(String field, Region region) {
        if (!contains(region)) {
            throw new InvalidConfigurationException(field, region,
                    field + " must be one of the declared regions " + regions + ", but was "
                            + Messages.quote(region == null ? null : region.id()));
        }
    }

    private static Map<Region, List<Region>> copyLists(Map<Region, List<Region>> in) {
        Map<Region, List<Region>> out = new LinkedHashMap<>();
        in.forEach((k, v) -> out.put(k, List.copyOf(v)));
        return Collections.unmodifiableMap(out);
    }

    private static Map<Region, Set<Region>> copySets(Map<Region, Set<Region>> in) {
        Map<Region, Set<Region>> out = new LinkedHashMap<>();
        in.forEach((k, v) -> out.put(k, Collections.unmodifiableSet(new LinkedHashSet<>(v))));
        return Collections.unmodifiableMap(out);
    }

    /**
     * Builds a {@link Topology}. Each method checks its own argument; {@link #build()} checks the
     * settings against each other. Not thread-safe.
     */
    public static final class Builder {

        private final List<Region> regions = new ArrayList<>();
        private Region local;
        private Region primary;
        private final Map<Region, List<Region>> proximity = new LinkedHashMap<>();
        private final Map<Region, Set<Region>> residency = new LinkedHashMap<>();
        private final Map<Region, Set<Region>> multiWriter = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Declares a region. Declaration order is the default proximity order.
         *
         * @throws InvalidConfigurationException if the id is invalid or already declared
         */
        public Builder region(String id) {
            return region(Region.of(id));
        }

        /**
         * Declares a region. Declaration order is the default proximity order.
         *
         * @throws InvalidConfigurationException if the region is null or already declared
         */
        public Builder region(Region region) {
            if (region == null) {
                throw new InvalidConfigurationException("topology.regions", null,
                        "topology.regions must not contain null, but was null");
            }
            if (regions.contains(region)) {
                throw new InvalidConfigurationException("topology.regions", region.id(),
                        "topology.regions must not declare a region twice, but " + Messages.quote(region.id())
                                + " was declared again");
            }
            regions.add(region);
            return this;
        }

        /** Declares several regions, in order. */
        public Builder regions(String... ids) {
            Objects.requireNonNull(ids, "ids");
            for (String id : ids) {
                region(id);
            }
            return this;
        }

        /** Sets the region this process runs in. */
        public Builder local(String id) {
            return local(Region.of(id));
        }

        /** Sets the region this process runs in. */
        public Builder local(Region region) {
            this.local = region;
            return this;
        }

        /** Sets the region that takes writes of GLOBAL data. */
        public Builder primary(String id) {
            return primary(Region.of(id));
        }

        /** Sets the region that takes writes of GLOBAL data. */
        public Builder primary(Region region) {
            this.primary = region;
            return this;
        }

        /**
         * Sets the proximity order from one region: every other region exactly once, nearest first.
         * Replaces an earlier order for the same region.
         */
        public Builder proximity(String from, String... nearestFirst) {
            return proximity(Region.of(from), toRegions("topology.proximity[" + from + "]", nearestFirst));
        }

        /**
         * Sets the proximity order from one region: every other region exactly once, nearest first.
         * Replaces an earlier order for the same region.
         */
        public Builder proximity(Region from, Region... nearestFirst) {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(nearestFirst, "nearestFirst");
            proximity.put(from, new ArrayList<>(Arrays.asList(nearestFirst)));
            return this;
        }

        /**
         * Sets the regions allowed to hold REGULATED data homed in {@code home}. The home region is
         * always allowed, whether listed or not. Replaces an earlier rule for the same home.
         */
        public Builder residency(String home, String... allowed) {
            return residency(Region.of(home), toRegions("topology.residency[" + home + "]", allowed));
        }

        /**
         * Sets the regions allowed to hold REGULATED data homed in {@code home}. The home region is
         * always allowed, whether listed or not. Replaces an earlier rule for the same home.
         */
        public Builder residency(Region home, Region... allowed) {
            Objects.requireNonNull(home, "home");
            Objects.requireNonNull(allowed, "allowed");
            residency.put(home, new LinkedHashSet<>(Arrays.asList(allowed)));
            return this;
        }

        /**
         * Declares that REGULATED data homed in {@code home} is multi-writer: while {@code home} is
         * unavailable, its writes may go to {@code others} (each must also be allowed by
         * {@link #residency}). Declare it only for data that is replicated both ways with a conflict
         * rule; the JDBC replication plan refuses a one-way subscription into a multi-writer region.
         * Replaces an earlier rule for the same home. Default: none, writes go to the home region only.
         */
        public Builder multiWriter(String home, String... others) {
            return multiWriter(Region.of(home), toRegions("topology.multiWriter[" + home + "]", others));
        }

        /** Same as {@link #multiWriter(String, String...)}. */
        public Builder multiWriter(Region home, Region... others) {
            Objects.requireNonNull(home, "home");
            Objects.requireNonNull(others, "others");
            multiWriter.put(home, new LinkedHashSet<>(Arrays.asList(others)));
            return this;
        }

        /**
         * Validates the settings and builds the topology.
         *
         * @throws InvalidConfigurationException naming the field and value of the first problem
         */
        public Topology build() {
            TopologyValidator validator = new TopologyValidator(regions, local, primary, proximity, residency,
                    multiWriter);
            validator.validate();
            return new Topology(this, validator.resolvedProximity(), validator.resolvedAllowed(),
                    validator.resolvedWritable());
        }

        private static Region[] toRegions(String field, String... ids) {
            Objects.requireNonNull(ids, field);
            Region[] out = new Region[ids.length];
            for (int i = 0; i < ids.length; i++) {
                out[i] = Region.of(ids[i]);
            }
            return out;
        }
    }
}
