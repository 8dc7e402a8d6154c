package io.regionrouter.mongo;

import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Topology;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.MaxKey;
import org.bson.types.MinKey;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ZoneShardingTest {

    private static final Topology TOPOLOGY = Topology.builder().regions("us", "eu", "ap").local("us").primary("us").build();

    private static final ZoneSharding ZONES = ZoneSharding.builder(TOPOLOGY)
            .shard("us", "shard-us")
            .shard("eu", "shard-eu-1", "shard-eu-2")
            .shard("ap", "shard-ap")
            .build();

    /** A fake cluster: config collections held in memory, admin commands applied to them. */
    static final class FakeAdmin implements ShardingAdmin {
        final List<Document> shards = new ArrayList<>();
        final List<Document> tags = new ArrayList<>();
        final List<Document> collections = new ArrayList<>();
        final List<Document> ran = new ArrayList<>();

        FakeAdmin(String... shardNames) {
            for (String name : shardNames) {
                shards.add(new Document("_id", name).append("host", name + "/h:27018"));
            }
        }

        @Override
        public Document runAdminCommand(Document command) {
            ran.add(command);
            if (command.containsKey("addShardToZone")) {
                Document shard = shards.stream().filter(s -> s.get("_id").equals(command.get("addShardToZone")))
                        .findFirst().orElseThrow();
                List<Object> zones = new ArrayList<>(shard.getList("tags", Object.class, List.of()));
                zones.add(command.get("zone"));
                shard.put("tags", zones);
            } else if (command.containsKey("updateZoneKeyRange")) {
                tags.add(new Document("ns", command.get("updateZoneKeyRange")).append("min", command.get("min"))
                        .append("max", command.get("max")).append("tag", command.get("zone")));
            } else if (command.containsKey("shardCollection")) {
                collections.add(new Document("_id", command.get("shardCollection")).append("key", command.get("key")));
            }
            return new Document("ok", 1.0);
        }

        @Override
        public List<Document> readConfig(String collection, Bson filter) {
            Document f = (Document) filter;
            List<Document> source = switch (collection) {
                case "shards" -> shards;
                case "tags" -> tags;
                case "collections" -> collections;
                default -> throw new IllegalArgumentException(collection);
            };
            return source.stream().filter(d -> f.entrySet().stream().allMatch(e -> e.getValue().equals(d.get(e.getKey()))))
                    .map(d -> Document.parse(d.toJson())).toList(); // copies, as a real read would return
        }
    }

    private static Document range(String region) {
        return new Document("updateZoneKeyRange", "app.users")
                .append("min", new Document("region", region).append("userId", new MinKey()))
                .append("max", new Document("region", region).append("userId", new MaxKey()))
                .append("zone", region);
    }

    @Test
    void commands_threeRegions_exactDocumentsInOrder() {
        List<Document> commands = ZONES.commands("app.users", "userId");

        assertThat(commands).containsExactly(
                new Document("addShardToZone", "shard-us").append("zone", "us"),
                new Document("addShardToZone", "shard-eu-1").append("zone", "eu"),
                new Document("addShardToZone", "shard-eu-2").append("zone", "eu"),
                new Document("addShardToZone", "shard-ap").append("zone", "ap"),
                range("us"), range("eu"), range("ap"),
                new Document("shardCollection", "app.users").append("key", new Document("region", 1).append("userId", 1)));
        assertThat(commands.get(4).toJson()).isEqualTo("{\"updateZoneKeyRange\": \"app.users\", "
                + "\"min\": {\"region\": \"us\", \"userId\": {\"$minKey\": 1}}, "
                + "\"max\": {\"region\": \"us\", \"userId\": {\"$maxKey\": 1}}, \"zone\": \"us\"}");
    }

    @Test
    void dryRun_onEmptyCluster_returnsEveryCommandAndRunsNothing() {
        FakeAdmin admin = new FakeAdmin("shard-us", "shard-eu-1", "shard-eu-2", "shard-ap");

        ZoneShardingPlan plan = ZONES.dryRun(admin, "app.users", "userId");

        assertThat(plan.dryRun()).isTrue();
        assertThat(plan.commands()).isEqualTo(ZONES.commands("app.users", "userId"));
        assertThat(plan.skipped()).isEmpty();
        assertThat(admin.ran).isEmpty();
    }

    @Test
    void apply_twice_runsEverythingOnceThenNothing() {
        FakeAdmin admin = new FakeAdmin("shard-us", "shard-eu-1", "shard-eu-2", "shard-ap");

        ZoneShardingPlan first = ZONES.apply(admin, "app.users", "userId");
        ZoneShardingPlan second = ZONES.apply(admin, "app.users", "userId");

        assertThat(first.commands()).hasSize(8);
        assertThat(admin.ran).isEqualTo(ZONES.commands("app.users", "userId"));
        assertThat(second.upToDate()).isTrue();
        assertThat(second.skipped()).hasSize(8);
        assertThat(admin.ran).hasSize(8);
    }

    @Test
    void apply_partiallyConfiguredCluster_runsOnlyWhatIsMissing() {
        FakeAdmin admin = new FakeAdmin("shard-us", "shard-eu-1", "shard-eu-2", "shard-ap");
        admin.shards.get(0).put("tags", List.of("us"));
        admin.shards.get(1).put("tags", List.of("legacy", "eu"));
        admin.tags.add(new Document("ns", "app.users").append("min", range("eu").get("min"))
                .append("max", range("eu").get("max")).append("tag", "eu"));
        admin.tags.add(new Document("ns", "other.coll").append("min", range("us").get("min"))
                .append("max", range("us").get("max")).append("tag", "us"));

        ZoneShardingPlan plan = ZONES.apply(admin, "app.users", "userId");

        assertThat(plan.skipped()).containsExactly(
                new Document("addShardToZone", "shard-us").append("zone", "us"),
                new Document("addShardToZone", "shard-eu-1").append("zone", "eu"),
                range("eu"));
        assertThat(admin.ran).containsExactly(
                new Document("addShardToZone", "shard-eu-2").append("zone", "eu"),
                new Document("addShardToZone", "shard-ap").append("zone", "ap"),
                range("us"), range("ap"),
                new Document("shardCollection", "app.users").append("key", new Document("region", 1).append("userId", 1)));
    }

    @Test
    void apply_collectionShardedOnAnotherKey_failsBeforeRunningAnything() {
        FakeAdmin admin = new FakeAdmin("shard-us", "shard-eu-1", "shard-eu-2", "shard-ap");
        admin.collections.add(new Document("_id", "app.users").append("key", new Document("_id", "hashed")));

        assertThatThrownBy(() -> ZONES.apply(admin, "app.users", "userId"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("app.users is already sharded on {\"_id\": \"hashed\"}");
        assertThat(admin.ran).isEmpty();
    }

    @Test
    void apply_droppedCollectionEntry_isShardedAgain() {
        FakeAdmin admin = new FakeAdmin("shard-us", "shard-eu-1", "shard-eu-2", "shard-ap");
        admin.collections.add(new Document("_id", "app.users").append("key", new Document("_id", 1)).append("dropped", true));

        ZoneShardingPlan plan = ZONES.apply(admin, "app.users", "userId");

        assertThat(plan.commands()).last().isEqualTo(
                new Document("shardCollection", "app.users").append("key", new Document("region", 1).append("userId", 1)));
    }

    @Test
    void apply_rangeOfSameBoundsInAnotherZone_failsBeforeRunningAnything() {
        FakeAdmin admin = new FakeAdmin("shard-us", "shard-eu-1", "shard-eu-2", "shard-ap");
        admin.tags.add(new Document("ns", "app.users").append("min", range("ap").get("min"))
                .append("max", range("ap").get("max")).append("tag", "asia"));

        assertThatThrownBy(() -> ZONES.apply(admin, "app.users", "userId"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("in zone asia").hasMessageContaining("wanted one in zone ap");
        assertThat(admin.ran).isEmpty();
    }

    @Test
    void apply_shardMissingFromCluster_failsNamingIt() {
        FakeAdmin admin = new FakeAdmin("shard-us", "shard-eu-1", "shard-ap");

        assertThatThrownBy(() -> ZONES.apply(admin, "app.users", "userId"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("shard \"shard-eu-2\" of zone eu is not in config.shards");
        assertThat(admin.ran).isEmpty();
    }

    @Test
    void customRegionField_isUsedInRangesAndShardKey() {
        ZoneSharding zones = ZoneSharding.builder(TOPOLOGY).regionField("rg")
                .shard("us", "s0").shard("eu", "s1").shard("ap", "s2").build();

        assertThat(zones.commands("db.c", "k")).contains(
                new Document("addShardToZone", "s1").append("zone", "eu"),
                new Document("updateZoneKeyRange", "db.c")
                        .append("min", new Document("rg", "eu").append("k", new MinKey()))
                        .append("max", new Document("rg", "eu").append("k", new MaxKey())).append("zone", "eu"),
                new Document("shardCollection", "db.c").append("key", new Document("rg", 1).append("k", 1)));
    }

    @Test
    void invalidInput_isRejectedNamingTheField() {
        assertThatThrownBy(() -> ZoneSharding.builder(TOPOLOGY).build())
                .isInstanceOf(InvalidConfigurationException.class).hasMessageStartingWith("shards must map");
        assertThatThrownBy(() -> ZoneSharding.builder(TOPOLOGY).shard("us", "s0").shard("eu", "s1").build())
                .as("a region without a zone would leave its documents to the balancer")
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("region ap has none");
        assertThatThrownBy(() -> ZoneSharding.builder(TOPOLOGY).shard("mars", "s"))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("mars");
        assertThatThrownBy(() -> ZONES.commands("users", "userId"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("namespace must be <database>.<collection>");
        assertThatThrownBy(() -> ZONES.commands("app.users", "region"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key must be");
    }
}
