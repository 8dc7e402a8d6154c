package io.regionrouter.mongo;

import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Region;
import io.regionrouter.core.Topology;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.types.MaxKey;
import org.bson.types.MinKey;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Zone sharding from a {@link Topology}: one zone per region (named after the region), the region's
 * shards in it, and one key range per region, so that documents whose region field is {@code X} live
 * on the shards of {@code X}.
 *
 * <p>For a collection {@code db.coll} sharded on {@code {region: 1, <key>: 1}}, it issues, in order:
 * <ol>
 *   <li>{@code {addShardToZone: <shard>, zone: <region>}} for each shard of each region
 *       (the shell's legacy {@code sh.addShardTag});</li>
 *   <li>{@code {updateZoneKeyRange: "db.coll", min: {region: X, <key>: MinKey}, max: {region: X,
 *       <key>: MaxKey}, zone: X}} for each region (legacy {@code sh.addTagRange});</li>
 *   <li>{@code {shardCollection: "db.coll", key: {region: 1, <key>: 1}}}.</li>
 * </ol>
 * Zones and ranges come first so that the collection's first chunks are already placed by zone.
 *
 * <p>Idempotent: {@link #apply} first reads {@code config.shards} (their {@code tags}),
 * {@code config.tags} and {@code config.collections}, and skips every command whose effect is already
 * there. A range of the same bounds in another zone, a collection sharded on another key, or a shard
 * missing from the cluster is an {@link IllegalStateException} before anything runs. {@link #dryRun}
 * does the same reads and returns the commands instead of running them; {@link #commands} returns the
 * full plan without contacting anything.
 *
 * <p>Immutable and thread-safe.
 */
public final class ZoneSharding {

    private final Topology topology;
    private final Map<Region, List<String>> shards;
    private final String regionField;

    private ZoneSharding(Builder b) {
        this.topology = b.topology;
        this.regionField = b.regionField;
        Map<Region, List<String>> copy = new LinkedHashMap<>();
        for (Region region : b.topology.regions()) {
            List<String> names = b.shards.get(region);
            if (names != null) {
                copy.put(region, List.copyOf(names));
            }
        }
        this.shards = copy;
    }

    /** Starts a builder; map every region of the topology to its shards with {@link Builder#shard}. */
    public static Builder builder(Topology topology) {
        return new Builder(topology);
    }

    /** The full plan for {@code namespace} sharded on {@code {region: 1, <key>: 1}}, without reading anything. */
    public List<Document> commands(String namespace, String key) {
        validate(namespace, key);
        List<Document> all = new ArrayList<>();
        all.addAll(addShardToZone());
        all.addAll(updateZoneKeyRange(namespace, key));
        all.add(shardCollection(namespace, key));
        return all;
    }

    /** Reads the cluster's configuration and returns the commands still missing, without running them. */
    public ZoneShardingPlan dryRun(ShardingAdmin admin, String namespace, String key) {
        return plan(admin, namespace, key, true);
    }

    /** Reads the cluster's configuration and runs the commands still missing, in order. */
    public ZoneShardingPlan apply(ShardingAdmin admin, String namespace, String key) {
        return plan(admin, namespace, key, false);
    }

    private ZoneShardingPlan plan(ShardingAdmin admin, String namespace, String key, boolean dryRun) {
        Objects.requireNonNull(admin, "admin");
        validate(namespace, key);
        List<Document> run = new ArrayList<>();
        List<Document> skipped = new ArrayList<>();

        Map<String, Set<String>> zonesByShard = new LinkedHashMap<>();
        for (Document shard : admin.readConfig("shards", new Document())) {
            Set<String> zones = new LinkedHashSet<>();
            Object tags = shard.get("tags");
            if (tags instanceof List<?> list) {
                list.forEach(t -> zones.add(String.valueOf(t)));
            }
            zonesByShard.put(String.valueOf(shard.get("_id")), zones);
        }
        for (Document command : addShardToZone()) {
            Set<String> zones = zonesByShard.get(command.getString("addShardToZone"));
            if (zones == null) {
                throw new IllegalStateException("shard \"" + command.getString("addShardToZone") + "\" of zone "
                        + command.getString("zone") + " is not in config.shards; the cluster has " + zonesByShard.keySet());
            }
            (zones.contains(command.getString("zone")) ? skipped : run).add(command);
        }

        List<Document> existingRanges = admin.readConfig("tags", new Document("ns", namespace));
        for (Document command : updateZoneKeyRange(namespace, key)) {
            BsonDocument min = bson(command.get("min", Document.class));
            BsonDocument max = bson(command.get("max", Document.class));
            boolean present = false;
            for (Document range : existingRanges) {
                if (min.equals(bson(range.get("min", Document.class)))) {
                    if (!max.equals(bson(range.get("max", Document.class)))
                            || !command.getString("zone").equals(range.getString("tag"))) {
                        throw new IllegalStateException("config.tags of " + namespace + " already has a range from "
                                + min.toJson() + " in zone " + range.getString("tag")
                                + " that differs from the wanted one in zone " + command.getString("zone"));
                    }
                    present = true;
                }
            }
            (present ? skipped : run).add(command);
        }

        Document shardCollection = shardCollection(namespace, key);
        List<Document> collections = admin.readConfig("collections", new Document("_id", namespace));
        Document existing = collections.stream().filter(c -> !Boolean.TRUE.equals(c.get("dropped"))).findFirst().orElse(null);
        if (existing == null) {
            run.add(shardCollection);
        } else if (bson(shardCollection.get("key", Document.class)).equals(bson(existing.get("key", Document.class)))) {
            skipped.add(shardCollection);
        } else {
            throw new IllegalStateException(namespace + " is already sharded on " + bson(existing.get("key", Document.class)).toJson()
                    + ", not on the wanted " + bson(shardCollection.get("key", Document.class)).toJson());
        }

        if (!dryRun) {
            for (Document command : run) {
                admin.runAdminCommand(command);
            }
        }
        return new ZoneShardingPlan(run, skipped, dryRun);
    }

    private List<Document> addShardToZone() {
        List<Document> commands = new ArrayList<>();
        shards.forEach((region, names) -> names.forEach(shard ->
                commands.add(new Document("addShardToZone", shard).append("zone", region.id()))));
        return commands;
    }

    private List<Document> updateZoneKeyRange(String namespace, String key) {
        List<Document> commands = new ArrayList<>();
        for (Region region : shards.keySet()) {
            commands.add(new Document("updateZoneKeyRange", namespace)
                    .append("min", new Document(regionField, region.id()).append(key, new MinKey()))
                    .append("max", new Document(regionField, region.id()).append(key, new MaxKey()))
                    .append("zone", region.id()));
        }
        return commands;
    }

    private Document shardCollection(String namespace, String key) {
        return new Document("shardCollection", namespace).append("key", new Document(regionField, 1).append(key, 1));
    }

    private void validate(String namespace, String key) {
        int dot = namespace == null ? -1 : namespace.indexOf('.');
        if (dot <= 0 || dot == namespace.length() - 1) {
            throw new IllegalArgumentException("namespace must be <database>.<collection>, but was \"" + namespace + "\"");
        }
        if (key == null || key.isBlank() || key.equals(regionField)) {
            throw new IllegalArgumentException("key must be a non-blank field other than the region field \""
                    + regionField + "\", but was \"" + key + "\"");
        }
    }

    private static BsonDocument bson(Document document) {
        return document == null ? new BsonDocument() : document.toBsonDocument();
    }

    @Override
    public String toString() {
        return "ZoneSharding{shards=" + shards + ", regionField=" + regionField + "}";
    }

    /** Builder for {@link ZoneSharding}; not thread-safe. */
    public static final class Builder {
        private final Topology topology;
        private final Map<Region, List<String>> shards = new LinkedHashMap<>();
        private String regionField = ResidencyGuard.DEFAULT_REGION_FIELD;

        private Builder(Topology topology) {
            this.topology = Objects.requireNonNull(topology, "topology");
        }

        /** Puts the named shards (their {@code config.shards} ids) in the zone of {@code region}. */
        public Builder shard(String region, String... shardNames) {
            Region r = topology.region(region);
            if (shardNames.length == 0) {
                throw new InvalidConfigurationException("shards." + region, "[]",
                        "shards." + region + " must name at least one shard, but was empty");
            }
            for (String name : shardNames) {
                if (name == null || name.isBlank()) {
                    throw new InvalidConfigurationException("shards." + region, name,
                            "shards." + region + " must not contain a blank shard name, but was \"" + name + "\"");
                }
                shards.computeIfAbsent(r, x -> new ArrayList<>()).add(name);
            }
            return this;
        }

        /** The document field holding the region, first in the shard key; default {@code region}. */
        public Builder regionField(String regionField) {
            if (regionField == null || regionField.isBlank()) {
                throw new InvalidConfigurationException("regionField", regionField,
                        "regionField must not be blank, but was \"" + regionField + "\"");
            }
            this.regionField = regionField;
            return this;
        }

        /** Builds; at least one region must have shards. */
        public ZoneSharding build() {
            if (shards.isEmpty()) {
                throw new InvalidConfigurationException("shards", "{}",
                        "shards must map at least one region of " + topology.regions() + " to a shard, but was empty");
            }
            for (Region region : topology.regions()) {
                if (!shards.containsKey(region)) {
                    // a region without a zone leaves its documents to the balancer: any shard, any region
                    throw new InvalidConfigurationException("shards", region.id(), "shards must map every region of "
                            + topology.regions() + " to at least one shard, but region " + region
                            + " has none, so its documents would get no zone and could be stored in any region");
                }
            }
            return new ZoneSharding(this);
        }
    }
}
