package io.regionrouter.mongo;

import com.mongodb.MongoClientSettings;
import com.mongodb.ServerAddress;
import com.mongodb.Tag;
import com.mongodb.connection.ClusterDescription;
import com.mongodb.connection.ServerConnectionState;
import com.mongodb.connection.ServerDescription;
import com.mongodb.event.ClusterDescriptionChangedEvent;
import com.mongodb.event.ClusterListener;
import com.mongodb.selector.ServerSelector;
import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionUnavailableException;
import io.regionrouter.core.Topology;
import io.regionrouter.mongo.internal.LatencyWindow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link ServerSelector} for one MongoDB cluster whose members span several regions.
 *
 * <p>Each member's region comes from its replica-set tag ({@value #DEFAULT_TAG_NAME} by default) or,
 * for members that carry no tags such as {@code mongos} routers, from an explicit address mapping
 * ({@link Builder#member(String, String)}). Among the candidates the driver hands over (those that
 * already match the read preference), the selector keeps the members of the most preferred region
 * that has one: the local region first, then the local region's proximity order. Within that region
 * it applies the driver's latency window: the fastest member's round-trip time plus
 * {@link Builder#localThreshold(Duration)}, inclusive. The driver applies its own window afterwards,
 * which changes nothing when both thresholds are equal.
 *
 * <p>A selector built with {@link Builder#regulatedFor(Region)} never returns a member outside the
 * regions that the home region allows ({@link Topology#allowedRegions(Region)}). When no allowed member
 * is usable it throws {@link RegionUnavailableException}, which the driver passes to the caller at
 * once instead of waiting for the server selection timeout. To avoid failing during discovery, the
 * selector waits instead (returns no member) while an allowed member is still being contacted; it
 * can only see that when it is also registered as a {@link ClusterListener}, which
 * {@link #applyTo(MongoClientSettings.Builder)} does.
 *
 * <p>Because the selector applies to every operation of the client, writes through a regulated
 * selector also fail closed when the primary is outside the allowed regions. Note that members of
 * one replica set all hold the same data: this selector decides where data is <em>served</em>; where
 * it is <em>stored</em> is decided by zone sharding ({@link ZoneSharding}).
 *
 * <p>Thread-safe: immutable apart from the last cluster description, held in a volatile field.
 */
public final class RegionAwareServerSelector implements ServerSelector, ClusterListener {

    /** Default name of the replica-set tag that carries a member's region. */
    public static final String DEFAULT_TAG_NAME = "region";
    /** Default latency window, equal to the driver's {@code localThresholdMS} default. */
    public static final Duration DEFAULT_LOCAL_THRESHOLD = Duration.ofMillis(15);

    private final Topology topology;
    private final Region local;
    private final Region home;
    private final Set<Region> allowed;
    private final List<Region> preference;
    private final String tagName;
    private final long localThresholdNanos;
    private final Map<ServerAddress, Region> members;
    private volatile ClusterDescription lastSeen;

    private RegionAwareServerSelector(Builder b) {
        this.topology = b.topology;
        this.local = b.local == null ? b.topology.local() : b.local;
        this.home = b.home;
        this.allowed = b.home == null ? null : b.topology.allowedRegions(b.home);
        this.tagName = b.tagName;
        this.localThresholdNanos = b.localThreshold.toNanos();
        this.members = Map.copyOf(b.members);
        List<Region> order = new ArrayList<>();
        order.add(local);
        order.addAll(b.topology.proximity(local));
        if (allowed != null) {
            order.retainAll(allowed);
        }
        this.preference = List.copyOf(order);
    }

    /** Starts a builder; by default the selector serves GLOBAL reads (any region, local first). */
    public static Builder builder(Topology topology) {
        return new Builder(topology);
    }

    /** A selector for GLOBAL data: members of every region, the local region's first. */
    public static RegionAwareServerSelector global(Topology topology) {
        return builder(topology).build();
    }

    /** A selector for REGULATED data homed in {@code home}: members of allowed regions only. */
    public static RegionAwareServerSelector regulated(Topology topology, Region home) {
        return builder(topology).regulatedFor(home).build();
    }

    /**
     * Installs this selector into a client's settings: as the cluster's server selector and as a
     * cluster listener, so that it can tell a member still being discovered from a missing one.
     */
    public MongoClientSettings.Builder applyTo(MongoClientSettings.Builder settings) {
        return settings.applyToClusterSettings(c -> c.serverSelector(this).addClusterListener(this));
    }

    /** The regions this selector may select, in preference order. */
    public List<Region> preference() {
        return preference;
    }

    /** The home region whose residency rules restrict this selector, if it is a regulated one. */
    public Optional<Region> home() {
        return Optional.ofNullable(home);
    }

    @Override
    public List<ServerDescription> select(ClusterDescription clusterDescription) {
        List<ServerDescription> candidates = new ArrayList<>();
        for (ServerDescription server : clusterDescription.getServerDescriptions()) {
            if (server.isOk()) {
                candidates.add(server);
            }
        }
        if (candidates.isEmpty()) {
            return List.of();
        }
        Map<Region, List<ServerDescription>> byRegion = new HashMap<>();
        List<ServerDescription> unplaced = new ArrayList<>();
        for (ServerDescription server : candidates) {
            Region region = regionOf(server);
            if (region == null) {
                unplaced.add(server);
            } else {
                byRegion.computeIfAbsent(region, r -> new ArrayList<>()).add(server);
            }
        }
        for (Region region : preference) {
            List<ServerDescription> group = byRegion.get(region);
            if (group != null) {
                return LatencyWindow.select(group, localThresholdNanos);
            }
        }
        if (allowed == null) {
            // GLOBAL: members of undeclared regions or without a region are still acceptable.
            return LatencyWindow.select(unplaced, localThresholdNanos);
        }
        if (allowedMemberBeingDiscovered()) {
            return List.of();
        }
        throw new RegionUnavailableException("no MongoDB member in the allowed regions " + allowed
                + " of REGULATED data homed in " + home + " is available; refusing the members "
                + describe(candidates) + " outside them", List.copyOf(allowed));
    }

    /** Records the full cluster view (ClusterListener callback); never throws. */
    @Override
    public void clusterDescriptionChanged(ClusterDescriptionChangedEvent event) {
        lastSeen = event.getNewDescription();
    }

    /** The region of a member: its region tag, else its address mapping, else {@code null}. */
    Region regionOf(ServerDescription server) {
        for (Tag tag : server.getTagSet()) {
            if (tag.getName().equals(tagName)) {
                return declared(tag.getValue());
            }
        }
        return members.get(server.getAddress());
    }

    private Region declared(String id) {
        for (Region region : topology.regions()) {
            if (region.id().equals(id)) {
                return region;
            }
        }
        return null;
    }

    private boolean allowedMemberBeingDiscovered() {
        ClusterDescription view = lastSeen;
        if (view == null) {
            return false;
        }
        for (ServerDescription server : view.getServerDescriptions()) {
            if (server.getState() == ServerConnectionState.CONNECTING) {
                Region region = regionOf(server);
                // A member we cannot place yet (no hello reply, so no tags) might be an allowed one.
                if (region == null || allowed.contains(region)) {
                    return true;
                }
            }
        }
        return false;
    }

    private String describe(List<ServerDescription> servers) {
        List<String> parts = new ArrayList<>();
        for (ServerDescription server : servers) {
            Region region = regionOf(server);
            parts.add(server.getAddress() + " (" + (region == null ? "no region" : "region " + region) + ")");
        }
        return parts.toString();
    }

    @Override
    public String toString() {
        return "RegionAwareServerSelector{" + (home == null ? "GLOBAL" : "REGULATED for " + home)
                + ", preference=" + preference + ", tag=" + tagName
                + ", localThreshold=" + Duration.ofNanos(localThresholdNanos).toMillis() + "ms}";
    }

    /** Builder for {@link RegionAwareServerSelector}; not thread-safe. */
    public static final class Builder {
        private final Topology topology;
        private Region local;
        private Region home;
        private String tagName = DEFAULT_TAG_NAME;
        private Duration localThreshold = DEFAULT_LOCAL_THRESHOLD;
        private final Map<ServerAddress, Region> members = new LinkedHashMap<>();

        private Builder(Topology topology) {
            this.topology = Objects.requireNonNull(topology, "topology");
        }

        /** The region this process runs in; default {@link Topology#local()}. */
        public Builder local(Region local) {
            this.local = known("selector.local", local);
            return this;
        }

        /** Restricts the selector to the regions allowed for REGULATED data homed in {@code home}. */
        public Builder regulatedFor(Region home) {
            this.home = known("selector.home", home);
            return this;
        }

        /** Name of the replica-set tag that carries the region; default {@value #DEFAULT_TAG_NAME}. */
        public Builder tagName(String tagName) {
            if (tagName == null || tagName.isBlank()) {
                throw new InvalidConfigurationException("selector.tagName", tagName,
                        "selector.tagName must not be blank, but was \"" + tagName + "\"");
            }
            this.tagName = tagName;
            return this;
        }

        /** Latency window within the chosen region; default 15 ms (the driver's default). */
        public Builder localThreshold(Duration localThreshold) {
            if (localThreshold == null || localThreshold.isNegative()) {
                throw new InvalidConfigurationException("selector.localThreshold", localThreshold,
                        "selector.localThreshold must be >= 0, but was " + localThreshold);
            }
            this.localThreshold = localThreshold;
            return this;
        }

        /**
         * Places a member that carries no region tag (for example a {@code mongos}) in a region.
         * {@code hostAndPort} is {@code host:port}; the port defaults to 27017.
         */
        public Builder member(String hostAndPort, String region) {
            ServerAddress address;
            try {
                address = new ServerAddress(hostAndPort);
            } catch (RuntimeException e) {
                throw new InvalidConfigurationException("selector.member", hostAndPort,
                        "selector.member must be host[:port], but was \"" + hostAndPort + "\"", e);
            }
            members.put(address, known("selector.member." + hostAndPort, topology.region(region)));
            return this;
        }

        /** Builds the selector; the configuration is validated by each setter. */
        public RegionAwareServerSelector build() {
            return new RegionAwareServerSelector(this);
        }

        private Region known(String field, Region region) {
            if (region == null || !topology.contains(region)) {
                throw new InvalidConfigurationException(field, region,
                        field + " must be a region of the topology " + topology.regions() + ", but was " + region);
            }
            return region;
        }
    }
}
