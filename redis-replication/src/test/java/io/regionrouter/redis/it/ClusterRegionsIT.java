package io.regionrouter.redis.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.regionrouter.core.HealthConfig;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionEvent;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.StaticRegionDirectory;
import io.regionrouter.core.Store;
import io.regionrouter.core.Topology;
import io.regionrouter.redis.AckPolicy;
import io.regionrouter.redis.RedisEndpoint;
import io.regionrouter.redis.RegionalRedis;
import io.regionrouter.redis.RegionalRedisConfig;
import io.regionrouter.redis.RepairCompletedEvent;
import io.regionrouter.redis.Versioned;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.ServerKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every region a Redis Cluster of three masters from the testkit, each node behind its own proxy:
 * fan-out, hinted handoff, read fallback and the repair of a cluster that came back empty.
 */
class ClusterRegionsIT {

    @RegisterExtension
    static final LocalRegions SERVERS = LocalRegions.builder()
            .region("us", ServerKind.REDIS).region("eu", ServerKind.REDIS).region("ap", ServerKind.REDIS)
            .redisCluster(3)
            .build();

    private static final List<String> ALL = List.of("us", "eu", "ap");
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final Map<Integer, RedisClient> nodeClients = new HashMap<>();
    private final Map<Integer, StatefulRedisConnection<String, String>> nodes = new HashMap<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        nodes.values().forEach(StatefulRedisConnection::close);
        nodeClients.values().forEach(RedisClient::shutdown);
        SERVERS.resetFaults();
    }

    private RegionRouter router(String local) {
        RegionHealth health = RegionHealth.builder().config(HealthConfig.builder().interval(Duration.ofMillis(300))
                .timeout(Duration.ofMillis(300)).failureThreshold(2).successThreshold(1).build()).build();
        toClose.add(health);
        return RegionRouter.builder(Topology.builder().regions("us", "eu", "ap").local(local).primary("us")
                        .proximity("us", "ap", "eu").proximity("ap", "us", "eu").proximity("eu", "us", "ap").build())
                .directory(StaticRegionDirectory.builder().build()).health(health).build();
    }

    private RegionalRedis<String> redis(RegionRouter router) {
        RegionalRedis.Builder<String> b = RegionalRedis.builder(router).config(RegionalRedisConfig.builder()
                .commandTimeout(Duration.ofMillis(500)).replayInterval(Duration.ofMillis(100))
                .replayClaimIdle(Duration.ofSeconds(2)).global("product:").allowPlaintext(true).build());
        for (String name : ALL) {
            b.region(Region.of(name), RedisEndpoint.cluster(SERVERS.region(name).redis().uri()));
        }
        RegionalRedis<String> redis = b.build();
        toClose.add(redis);
        return redis;
    }

    /** The version field of a key, read from whichever node of the region's cluster holds it, directly. */
    private String versionIn(String region, String key) {
        for (int port : SERVERS.region(region).redis().directPorts()) {
            try {
                return node(port).sync().hget(key, "v");
            } catch (RedisCommandExecutionException moved) {
                // MOVED: another node owns the slot
            }
        }
        throw new AssertionError("no node of " + region + " answered for " + key);
    }

    private int nodeOf(String region, String key) {
        List<Integer> ports = SERVERS.region(region).redis().directPorts();
        for (int i = 0; i < ports.size(); i++) {
            try {
                node(ports.get(i)).sync().exists(key);
                return i;
            } catch (RedisCommandExecutionException moved) {
                // MOVED
            }
        }
        throw new AssertionError("no node of " + region + " owns " + key);
    }

    private StatefulRedisConnection<String, String> node(int port) {
        return nodes.computeIfAbsent(port, p -> {
            RedisClient c = RedisClient.create("redis://127.0.0.1:" + p);
            nodeClients.put(p, c);
            return c.connect();
        });
    }

    @Test
    void clusterRegions_fanOutHintsFallbackAndRepair() {
        assertThat(SERVERS.region("us").redis().cluster()).isTrue();
        List<RegionEvent> events = new CopyOnWriteArrayList<>();
        RegionRouter router = router("us");
        RegionalRedis<String> redis = redis(router);
        redis.addListener(events::add);

        // fan-out: every region holds every key, spread over the nodes of each cluster
        for (int i = 0; i < 60; i++) {
            redis.set("product:" + i, "v" + i, AckPolicy.ALL);
        }
        Set<Integer> usedNodes = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            String v = versionIn("us", "product:" + i);
            for (String r : ALL) {
                assertThat(versionIn(r, "product:" + i)).as(r + " product:" + i).isNotNull().isEqualTo(v);
            }
            usedNodes.add(nodeOf("eu", "product:" + i));
        }
        assertThat(usedNodes).as("keys live on every node of a cluster").hasSize(3);

        // hinted handoff: eu's whole cluster partitioned, its writes kept in us's cluster and replayed
        SERVERS.region("eu").redis().partition();
        ThreeRegions.awaitTrue(() -> !router.health().isUp(Region.of("eu"), Store.REDIS), Duration.ofSeconds(10),
                "eu DOWN");
        for (int i = 0; i < 20; i++) {
            redis.set("product:h" + i, "h" + i, AckPolicy.LOCAL);
        }
        ThreeRegions.awaitTrue(() -> redis.pendingHints("eu") == 20, Duration.ofSeconds(5), "20 hints for eu");
        SERVERS.region("eu").redis().heal();
        ThreeRegions.awaitTrue(() -> redis.pendingHints("eu") == 0, Duration.ofSeconds(30), "hints replayed");
        for (int i = 0; i < 20; i++) {
            assertThat(versionIn("eu", "product:h" + i)).isEqualTo(versionIn("us", "product:h" + i));
        }

        // read fallback: the local cluster partitioned, reads served by the next region
        SERVERS.region("us").redis().partition();
        ThreeRegions.awaitTrue(() -> !router.health().isUp(Region.of("us"), Store.REDIS), Duration.ofSeconds(10),
                "us DOWN");
        assertThat(redis.getVersioned("product:7")).get().extracting(Versioned::servedBy).isEqualTo(Region.of("ap"));
        SERVERS.region("us").redis().heal();
        ThreeRegions.awaitTrue(() -> router.health().isUp(Region.of("us"), Store.REDIS), Duration.ofSeconds(15),
                "us UP");

        // repair: eu's cluster restarted without persistence comes back empty and is repaired by itself
        ThreeRegions.pause(Duration.ofMillis(500)); // the marker has been seen
        SERVERS.region("eu").redis().restart();
        ThreeRegions.awaitTrue(() -> events.stream().anyMatch(e -> e instanceof RepairCompletedEvent r
                && r.report().complete() && r.report().keysRepaired().get(Region.of("eu")) > 0),
                Duration.ofSeconds(40), "an automatic repair of eu's cluster");
        for (int i = 0; i < 60; i++) {
            assertThat(versionIn("eu", "product:" + i)).as("product:" + i).isEqualTo(versionIn("us", "product:" + i));
        }
        for (int i = 0; i < 20; i++) {
            assertThat(versionIn("eu", "product:h" + i)).isEqualTo(versionIn("us", "product:h" + i));
        }
    }
}
