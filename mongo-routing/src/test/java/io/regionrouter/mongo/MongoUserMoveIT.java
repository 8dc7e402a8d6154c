package io.regionrouter.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.regionrouter.core.HealthConfig;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.StaticRegionDirectory;
import io.regionrouter.core.Topology;
import io.regionrouter.core.UserDataMover;
import io.regionrouter.core.UserFrozenException;
import io.regionrouter.core.UserMovedAwayException;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.ServerKind;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A user's documents copied from eu's database to us's by difference with their region field
 * rewritten, the move marker refusing the user's writes in eu before they are sent (frozen, then
 * moved away), a write that slipped past the check reported, and the purge deleting in eu only.
 * Counted with the clients' unwrapped databases.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MongoUserMoveIT {

    @RegisterExtension
    static final LocalRegions REGIONS = LocalRegions.builder().region("us", ServerKind.MONGO).region("eu", ServerKind.MONGO)
            .build();

    private static final Region EU = Region.of("eu");
    private static final Region US = Region.of("us");
    private static final Topology TOPOLOGY = Topology.builder().regions("us", "eu").local("us").primary("us").build();

    /** The wall clock of the freeze bounds: the system's, moved ahead by the tests instead of waiting. */
    private static final AtomicLong CLOCK_AHEAD_MILLIS = new AtomicLong();
    private static final InstantSource CLOCK = () -> Instant.ofEpochMilli(System.currentTimeMillis() + CLOCK_AHEAD_MILLIS.get());

    private static RegionHealth health;
    private static RegionalMongoClients clients;

    @BeforeAll
    static void startClients() {
        health = RegionHealth.builder().config(HealthConfig.builder().interval(Duration.ofMillis(300))
                .timeout(Duration.ofMillis(300)).build()).build();
        RegionRouter router = RegionRouter.builder(TOPOLOGY).health(health)
                .directory(StaticRegionDirectory.builder().user("dana", "eu").user("erin", "eu").build()).build();
        RegionalMongoClients.Builder b = RegionalMongoClients.builder(router)
                .config(RegionalMongoConfig.builder().database("app").moveFences(true).build()).clock(CLOCK);
        for (String name : REGIONS.names()) {
            b.region(name, REGIONS.region(name).mongo().connectionString());
        }
        clients = b.build();
    }

    @AfterAll
    static void stopClients() {
        clients.close();
        health.close();
    }

    private static MongoCollection<Document> raw(Region r) {
        return clients.client(r).getDatabase("app").getCollection("orders");
    }

    private static long docs(Region r, String user) {
        return raw(r).countDocuments(Filters.eq("userId", user));
    }

    @Test
    void usersDocuments_copiedVerifiedFencedAndPurged_inTheirRegionsOnly() {
        List<Document> seed = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            seed.add(new Document("_id", "d" + i).append("userId", "dana").append("region", "eu").append("n", i));
        }
        for (int i = 0; i < 10; i++) {
            seed.add(new Document("_id", "e" + i).append("userId", "erin").append("region", "eu").append("n", i));
        }
        clients.forUser("dana").getCollection("orders").insertMany(seed);
        MongoUserMover mover = MongoUserMover.builder(clients).collection("orders", "userId").settle(Duration.ofMillis(50))
                .build();

        assertThat(mover.copy("dana", EU, US)).isEqualTo(100);
        assertThat(docs(US, "dana")).isEqualTo(100);
        assertThat(raw(US).countDocuments(Filters.eq("region", "us"))).isEqualTo(100);
        assertThat(docs(US, "erin")).isZero();
        UserDataMover.Digest eu = mover.digest("dana", EU);
        assertThat(eu.items()).isEqualTo(100);
        assertThat(mover.digest("dana", US)).isEqualTo(eu);
        assertThat(mover.copy("dana", EU, US)).as("nothing differs the second time").isZero();

        clients.forUser("dana").getCollection("orders").updateOne(Filters.eq("_id", "d1"), Updates.set("n", -1));
        clients.forUser("dana").getCollection("orders").deleteOne(Filters.eq("_id", "d2"));
        assertThat(mover.digest("dana", US)).isNotEqualTo(mover.digest("dana", EU));

        mover.freeze("dana", EU, Duration.ofSeconds(30));
        MongoCollection<Document> danaInEu = clients.forUser("dana").getCollection("orders");
        assertThatThrownBy(() -> danaInEu.insertOne(new Document("_id", "late").append("userId", "dana").append("region", "eu")))
                .isInstanceOf(UserFrozenException.class);
        assertThatThrownBy(() -> danaInEu.deleteOne(Filters.eq("_id", "d3"))).isInstanceOf(UserFrozenException.class);
        clients.forUser("erin").getCollection("orders").updateOne(Filters.eq("_id", "e1"), Updates.set("n", 7));
        assertThat(mover.copy("dana", EU, US)).isEqualTo(2);
        assertThat(mover.digest("dana", US)).isEqualTo(mover.digest("dana", EU));
        assertThat(mover.holdFreeze("dana", EU, mover.digest("dana", EU))).isPositive();

        raw(EU).insertOne(new Document("_id", "slipped").append("userId", "dana").append("region", "eu"));
        mover.fence("dana", EU, US, 9);
        mover.clearFence("dana", US);
        assertThat(mover.lateWrites("dana", EU)).as("a write that passed the check before the freeze is reported").isTrue();
        assertThatThrownBy(() -> danaInEu.updateOne(Filters.eq("_id", "d4"), Updates.set("n", 0)))
                .isInstanceOfSatisfying(UserMovedAwayException.class, e -> {
                    assertThat(e.movedTo()).isEqualTo(US);
                    assertThat(e.epoch()).isEqualTo(9);
                });

        assertThat(mover.purge("dana", EU)).isEqualTo(100);
        assertThat(docs(EU, "dana")).isZero();
        assertThat(docs(EU, "erin")).isEqualTo(10);
        assertThat(docs(US, "dana")).isEqualTo(99);
        assertThat(mover.digest("dana", EU).items()).isZero();
    }

    @Test
    void freeze_thawsByItself_andNeverReplacesAMovedMarker() throws Exception {
        MongoUserMover mover = MongoUserMover.builder(clients).collection("orders", "userId").settle(Duration.ZERO)
                .clock(CLOCK).build();
        MongoCollection<Document> erin = clients.forUser("erin").getCollection("orders");
        mover.freeze("erin", EU, Duration.ofMillis(200));
        assertThatThrownBy(() -> erin.insertOne(new Document("_id", "x1").append("userId", "erin").append("region", "eu")))
                .isInstanceOf(UserFrozenException.class);
        CLOCK_AHEAD_MILLIS.addAndGet(201); // past the bound, without waiting for it
        erin.insertOne(new Document("_id", "x1").append("userId", "erin").append("region", "eu"));
        assertThat(mover.holdFreeze("erin", EU, null)).isZero();
        mover.unfreeze("erin", EU);
        mover.fence("erin", EU, US, 4);
        assertThatThrownBy(() -> mover.freeze("erin", EU, Duration.ofSeconds(1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("moved marker");
        mover.clearFence("erin", EU);
        erin.deleteOne(Filters.eq("_id", "x1"));
    }
}
