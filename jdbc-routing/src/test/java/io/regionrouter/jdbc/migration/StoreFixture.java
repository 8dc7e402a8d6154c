package io.regionrouter.jdbc.migration;

import static io.regionrouter.jdbc.migration.MoveFixture.EU;
import static io.regionrouter.jdbc.migration.MoveFixture.TOPOLOGY;
import static io.regionrouter.jdbc.migration.MoveFixture.US;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.regionrouter.core.HealthConfig;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionDirectory;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.StaticRegionDirectory;
import io.regionrouter.core.Topology;
import io.regionrouter.mongo.MongoUserMover;
import io.regionrouter.mongo.RegionalMongoClients;
import io.regionrouter.redis.AckPolicy;
import io.regionrouter.redis.RedisEndpoint;
import io.regionrouter.redis.RedisUserMover;
import io.regionrouter.redis.RegionalRedis;
import io.regionrouter.redis.RegionalRedisConfig;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.ServerKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/**
 * The Redis and MongoDB side of a move: each region's servers, read directly (bypassing the
 * library), and the application's {@link RegionalRedis} and {@link RegionalMongoClients} routed by
 * an instance's directory. A user's keys are {@code {user}:...}; documents live in {@code docs} with
 * {@code userId} and {@code region}.
 */
final class StoreFixture implements AutoCloseable {

    static final String COLLECTION = "docs";
    static final String DATABASE = "app";

    static LocalRegions regions() {
        return LocalRegions.builder().region("us", ServerKind.POSTGRES, ServerKind.REDIS, ServerKind.MONGO)
                .region("eu", ServerKind.POSTGRES, ServerKind.REDIS, ServerKind.MONGO).build();
    }

    final LocalRegions regions;
    final Map<Region, RedisCommands<String, String>> redis = new LinkedHashMap<>();
    final Map<Region, MongoCollection<Document>> mongo = new LinkedHashMap<>();
    final List<AutoCloseable> closeables = new ArrayList<>();

    StoreFixture(LocalRegions regions) {
        this.regions = regions;
        for (Region r : TOPOLOGY.regions()) {
            RedisClient client = RedisClient.create("redis://127.0.0.1:" + regions.region(r.id()).redis().directPort());
            StatefulRedisConnection<String, String> c = client.connect();
            closeables.add(client::shutdown);
            closeables.add(c);
            redis.put(r, c.sync());
            MongoClient m = MongoClients.create("mongodb://127.0.0.1:" + regions.region(r.id()).mongo().directPort());
            closeables.add(m);
            mongo.put(r, m.getDatabase(DATABASE).getCollection(COLLECTION));
        }
    }

    static RegionalRedisConfig redisConfig() {
        return RegionalRedisConfig.builder().commandTimeout(Duration.ofSeconds(1)).allowPlaintext(true).build();
    }

    static RedisUserMover redisMover(Map<Region, String> uris) {
        RedisUserMover.Builder b = RedisUserMover.builder(TOPOLOGY).config(redisConfig());
        uris.forEach((r, uri) -> b.region(r, RedisEndpoint.standalone(uri)));
        return b.build();
    }

    /** Clients for the migration only: their routing is never used. */
    static RegionalMongoClients migrationClients(Map<Region, String> uris) {
        RegionRouter router = RegionRouter.builder(TOPOLOGY).directory(StaticRegionDirectory.builder().build()).build();
        RegionalMongoClients.Builder b = RegionalMongoClients.builder(router).database(DATABASE).healthProbes(false);
        uris.forEach((r, uri) -> b.region(r.id(), uri));
        return b.build();
    }

    static MongoUserMover mongoMover(RegionalMongoClients clients) {
        return MongoUserMover.builder(clients).collection(COLLECTION, "userId").build();
    }

    Map<Region, String> redisUris() {
        return Map.of(US, regions.region("us").redis().uri(), EU, regions.region("eu").redis().uri());
    }

    Map<Region, String> mongoUris() {
        return Map.of(US, regions.region("us").mongo().connectionString(), EU, regions.region("eu").mongo().connectionString());
    }

    /** One instance's stores, routed by {@code directory} as seen from {@code local}. */
    final class Stores implements AutoCloseable {
        final RegionHealth health;
        final RegionRouter router;
        final RegionalRedis<String> redis;
        final RegionalMongoClients mongo;

        Stores(Region local, RegionDirectory directory) {
            Topology topology = TOPOLOGY.withLocal(local);
            health = RegionHealth.builder().config(HealthConfig.builder().interval(Duration.ofMillis(500))
                    .timeout(Duration.ofMillis(500)).build()).build();
            router = RegionRouter.builder(topology).directory(directory).health(health).build();
            RegionalRedis.Builder<String> rb = RegionalRedis.builder(router).config(redisConfig());
            redisUris().forEach((r, uri) -> rb.region(r.id(), uri));
            redis = rb.build();
            RegionalMongoClients.Builder mb = RegionalMongoClients.builder(router).database(DATABASE).moveFences(true);
            mongoUris().forEach((r, uri) -> mb.region(r.id(), uri));
            mongo = mb.build();
        }

        @Override
        public void close() {
            redis.close();
            mongo.close();
            health.close();
        }
    }

    /** Gives a user {@code keys} Redis keys and {@code docs} documents in {@code home}, directly. */
    void seed(String user, Region home, int keys, int docs) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < keys; i++) {
            values.put("{" + user + "}:seed" + i, "seed " + i);
        }
        try (Stores s = new Stores(home, StaticRegionDirectory.builder().user(user, home.id()).build())) {
            values.forEach((k, v) -> s.redis.forUser(user).set(k, v, null, AckPolicy.ALL));
        }
        List<Document> batch = new ArrayList<>();
        for (int i = 0; i < docs; i++) {
            batch.add(new Document("_id", user + "/seed" + i).append("userId", user).append("region", home.id()).append("n", i));
        }
        if (!batch.isEmpty()) {
            mongo.get(home).insertMany(batch);
        }
    }

    /** The user's keys in a region's Redis, the move marker left aside. */
    long keys(Region r, String user) {
        return redis.get(r).keys("*{" + user + "}*").stream().filter(k -> !k.startsWith("rr:")).count();
    }

    long docs(Region r, String user) {
        return mongo.get(r).countDocuments(Filters.eq("userId", user));
    }

    /** How many of {@code keys} are missing from the region's Redis. */
    long missingKeys(Region r, List<String> keys) {
        long missing = 0;
        for (String k : keys) {
            missing += redis.get(r).exists(k) == 1 ? 0 : 1;
        }
        return missing;
    }

    /** How many of {@code ids} are missing from the region's database, or name another region. */
    long missingDocs(Region r, List<String> ids) {
        return ids.size() - mongo.get(r).countDocuments(Filters.and(Filters.in("_id", ids), Filters.eq("region", r.id())));
    }

    @Override
    public void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }
}
