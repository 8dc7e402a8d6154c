package io.regionrouter.core.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Region;
import io.regionrouter.core.support.Messages;

/**
 * Checks a topology's settings against each other and resolves the defaults (proximity by
 * declaration order, residency home-only). Used once per build; not thread-safe.
 */
public final class TopologyValidator {

    private final List<Region> regions;
    private final Region local;
    private final Region primary;
    private final Map<Region, List<Region>> proximity;
    private final Map<Region, Set<Region>> residency;
    private final Map<Region, Set<Region>> multiWriter;
    private Map<Region, List<Region>> resolvedProximity;
    private Map<Region, Set<Region>> resolvedAllowed;
    private Map<Region, Set<Region>> resolvedWritable;

    /**
     * Creates a validator over the builder's raw settings.
     */
    public TopologyValidator(List<Region> regions, Region local, Region primary,
            Map<Region, List<Region>> proximity, Map<Region, Set<Region>> residency,
            Map<Region, Set<Region>> multiWriter) {
        this.regions = regions;
        this.local = local;
        this.primary = primary;
        this.proximity = proximity;
        this.residency = residency;
        this.multiWriter = multiWriter;
    }

    /**
     * Validates everything, in a fixed order, and throws for the first problem.
     *
     * @throws InvalidConfigurationException naming the field and the value
     */
    public void validate() {
        if (regions.isEmpty()) {
            throw new InvalidConfigurationException("topology.regions", "[]",
                    "topology.regions must declare at least one region, but was []");
        }
        requireDeclared("topology.local", local);
        requireDeclared("topology.primary", primary);
        resolvedProximity = resolveProximity();
        resolvedAllowed = resolveAllowed();
        resolvedWritable = resolveWritable();
    }

    /** Returns the writable set of every home region; valid after {@link #validate()}. */
    public Map<Region, Set<Region>> resolvedWritable() {
        return resolvedWritable;
    }

    /** Returns the proximity order of every region; valid after {@link #validate()}. */
    public Map<Region, List<Region>> resolvedProximity() {
        return resolvedProximity;
    }

    /** Returns the allowed set of every home region; valid after {@link #validate()}. */
    public Map<Region, Set<Region>> resolvedAllowed() {
        return resolvedAllowed;
    }

    private void requireDeclared(String field, Region region) {
        if (region == null) {
            throw new InvalidConfigurationException(field, null,
                    field + " must be set to one of the declared regions " + regions + ", but was null");
        }
        if (!regions.contains(region)) {
            throw new InvalidConfigurationException(field, region.id(),
                    field + " must be one of the declared regions " + regions + ", but was "
                            + Messages.quote(region.id()));
        }
    }

    private Map<Region, List<Region>> resolveProximity() {
        for (Region from : proximity.keySet()) {
            requireDeclared("topology.proximity", from);
        }
        Map<Region, List<Region>> out = new LinkedHashMap<>();
        for (Region from : regions) {
            List<Region> order = proximity.get(from);
            if (order == null) {
                order = new ArrayList<>(regions);
                order.remove(from);
            } else {
                checkProximity(from, order);
            }
            out.put(from, List.copyOf(order));
        }
        return Collections.unmodifiableMap(out);
    }

    private void checkProximity(Region from, List<Region> order) {
        String field = "topology.proximity[" + from + "]";
        List<Region> expected = new ArrayList<>(regions);
        expected.remove(from);
        Set<Region> seen = new LinkedHashSet<>();
        for (Region r : order) {
            if (r == null) {
                throw new InvalidConfigurationException(field, order,
                        field + " must not contain null, but was " + order);
            }
            if (r.equals(from)) {
                throw new InvalidConfigurationException(field, order,
                        field + " must not list the region itself, but was " + order);
            }
            if (!regions.contains(r)) {
                throw new InvalidConfigurationException(field, r.id(),
                        field + " must only name declared regions " + regions + ", but named "
                                + Messages.quote(r.id()));
            }
            if (!seen.add(r)) {
                throw new InvalidConfigurationException(field, order,
                        field + " must list every other region exactly once, but " + Messages.quote(r.id())
                                + " appears twice in " + order);
            }
        }
        if (seen.size() != expected.size()) {
            List<Region> missing = new ArrayList<>(expected);
            missing.removeAll(seen);
            throw new InvalidConfigurationException(field, order,
                    field + " must list every other region exactly once, but was " + order + " (missing "
                            + missing + ")");
        }
    }

    private Map<Region, Set<Region>> resolveAllowed() {
        for (Map.Entry<Region, Set<Region>> rule : residency.entrySet()) {
            requireDeclared("topology.residency", rule.getKey());
            String field = "topology.residency[" + rule.getKey() + "]";
            for (Region r : rule.getValue()) {
                if (r == null) {
                    throw new InvalidConfigurationException(field, null,
                            field + " must not contain null, but was " + rule.getValue());
                }
                if (!regions.contains(r)) {
                    throw new InvalidConfigurationException(field, r.id(),
                            field + " must only name declared regions " + regions + ", but named "
                                    + Messages.quote(r.id()));
                }
            }
        }
        Map<Region, Set<Region>> out = new LinkedHashMap<>();
        for (Region home : regions) {
            Set<Region> rule = residency.getOrDefault(home, Set.of());
            Set<Region> allowed = new LinkedHashSet<>();
            allowed.add(home);
            for (Region r : resolvedProximity.get(home)) {
                if (rule.contains(r)) {
                    allowed.add(r);
                }
            }
            out.put(home, Collections.unmodifiableSet(allowed));
        }
        return Collections.unmodifiableMap(out);
    }

    private Map<Region, Set<Region>> resolveWritable() {
        for (Map.Entry<Region, Set<Region>> rule : multiWriter.entrySet()) {
            requireDeclared("topology.multiWriter", rule.getKey());
            String field = "topology.multiWriter[" + rule.getKey() + "]";
            for (Region r : rule.getValue()) {
                if (r == null) {
                    throw new InvalidConfigurationException(field, null,
                            field + " must not contain null, but was " + rule.getValue());
                }
                if (!resolvedAllowed.get(rule.getKey()).contains(r)) {
                    throw new InvalidConfigurationException(field, r.id(),
                            field + " must only name regions that topology.residency[" + rule.getKey()
                                    + "] allows " + resolvedAllowed.get(rule.getKey()) + ", but named "
                                    + Messages.quote(r.id()));
                }
            }
        }
        Map<Region, Set<Region>> out = new LinkedHashMap<>();
        for (Region home : regions) {
            Set<Region> rule = multiWriter.getOrDefault(home, Set.of());
            Set<Region> writable = new LinkedHashSet<>();
            for (Region r : resolvedAllowed.get(home)) {
                if (r.equals(home) || rule.contains(r)) {
                    writable.add(r);
                }
            }
            out.put(home, Collections.unmodifiableSet(writable));
        }
        return Collections.unmodifiableMap(out);
    }
}
