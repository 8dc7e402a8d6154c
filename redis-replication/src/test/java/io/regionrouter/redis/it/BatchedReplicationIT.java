package io.regionrouter.redis.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.regionrouter.core.HealthConfig;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionEvent;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.redis.AckPolicy;
import io.regionrouter.redis.RegionStats;
import io.regionrouter.redis.RegionalRedis;
import io.regionrouter.redis.RegionalRedisConfig;
import io.regionrouter.redis.ReplicationMode;
import io.regionrouter.redis.RpoExceededEvent;
import io.regionrouter.redis.Version;
import io.regionrouter.redis.WriteNotAcknowledgedException;
import io.regionrouter.redis.internal.BatchCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Batched replication on real servers: writes to eu are queued in us's hint log and shipped as
 * compressed batches into eu's inbox, where eu's own instance applies them. Two writing instances
 * per region, bounded counts; the waits are bounded liveness waits, never timed assertions.
 */
class BatchedReplicationIT extends ThreeRegionsBase {

    private static final Duration BOUND = Duration.ofSeconds(2);

    /**
     * Health for the writing instances of the partition test: its writes need us UP throughout, and
     * on a loaded machine the fixture's 150 ms probes can miss twice in a row.
     */
    private static final HealthConfig TOLERANT = HealthConfig.builder().interval(Duration.ofMillis(500))
            .timeout(Duration.ofMillis(500)).failureThreshold(4).successThreshold(1).build();

    private static RegionalRedisConfig batchedToEu() {
        return fixture.config().replication("eu", ReplicationMode.batched(Duration.ofMillis(500), 64 * 1024, BOUND))
                .build();
    }

    @Test
    void euPartitionedFor20sUnderBatchedMode_heal_everyAcknowledgedWriteArrives_rpoEventsRaised() throws Exception {
        List<RegionEvent> events = new CopyOnWriteArrayList<>();
        RegionRouter usRouter = fixture.router("us", TOLERANT);
        RegionalRedis<String> us1 = fixture.redis(usRouter, batchedToEu(), System::currentTimeMillis);
        RegionalRedis<String> us2 = fixture.redis(fixture.router("us", TOLERANT), batchedToEu(), System::currentTimeMillis);
        RegionalRedis<String> eu = fixture.redis("eu", fixture.config().build());
        us1.addListener(events::add);
        us2.addListener(events::add);
        Map<String, Version> acked = new ConcurrentHashMap<>();

        write(List.of(us1, us2), acked, "before", 50, Duration.ZERO);
        fixture.regions().region("eu").redis().partition();
        write(List.of(us1, us2), acked, "during", 200, Duration.ofMillis(100)); // about 20 s
        Duration rpoCutOff = us1.rpo("eu");
        fixture.regions().region("eu").redis().heal();
        ThreeRegions.awaitState(usRouter, "eu", true);
        write(List.of(us1, us2), acked, "after", 50, Duration.ZERO);

        ThreeRegions.awaitTrue(() -> missingInEu(acked).isEmpty() && us1.pendingHints("eu") == 0
                && us2.pendingHints("eu") == 0, Duration.ofSeconds(60), "every acknowledged write applied in eu");
        assertThat(acked).hasSize(2 * (50 + 200 + 50));
        assertThat(missingInEu(acked)).as("acknowledged writes eu lacks or holds older").isEmpty();
        Set<String> keys = Divergence.keys(fixture, ALL);
        assertThat(Divergence.divergent(fixture, keys, ALL)).as("divergent keys").isEmpty();
        assertThat(events).filteredOn(e -> e instanceof RpoExceededEvent r && r.target().equals(Region.of("eu"))
                && r.age().compareTo(BOUND) > 0).as("RPO events while eu was cut off").isNotEmpty();
        assertThat(rpoCutOff).as("the recovery point measured while cut off").isGreaterThan(BOUND);
        // measured by each round of the shipper, so it follows the drain within maxDelay
        ThreeRegions.awaitTrue(() -> us1.rpo("eu").compareTo(BOUND) < 0, Duration.ofSeconds(10),
                "the recovery point to fall back under the bound once drained");
        assertThat(eu.readFrom("eu", "product:during:0:1")).isPresent();
        RegionStats toEu = us1.stats().get(Region.of("eu"));
        assertThat(toEu.hintsReplayed()).as("writes shipped by us1").isPositive();
        assertThat(toEu.sentBytes()).as("compressed batches are smaller than what they carry")
                .isPositive().isLessThan(toEu.rawBytes());
        assertThat(toEu.writesAcked()).as("no write was sent to eu on its own").isZero();
    }

    @Test
    void writersWith500msClockSkew_batchesNeverOverwriteNewer_fullConvergence() throws Exception {
        RegionalRedisConfig batched = fixture.config()
                .replication("eu", ReplicationMode.batched(Duration.ofMillis(200), 16 * 1024))
                .replication("us", ReplicationMode.batched(Duration.ofMillis(300), 16 * 1024))
                .build();
        long skew = 500;
        RegionalRedis<String> us = fixture.redis(fixture.router("us"), batched, System::currentTimeMillis);
        RegionalRedis<String> ap = fixture.redis(fixture.router("ap"), batched, () -> System.currentTimeMillis() + skew);
        RegionalRedis<String> eu = fixture.redis(fixture.router("eu"), batched, () -> System.currentTimeMillis() - skew);
        Map<String, Version> newest = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (RegionalRedis<String> r : List.of(us, ap, eu)) {
                runs.add(pool.submit(() -> {
                    for (int i = 0; i < 300; i++) {
                        String key = "product:skew:" + (i % 30);
                        Version v = r.set(key, r.writerId() + "#" + i, AckPolicy.LOCAL);
                        newest.merge(key, v, (a, b) -> a.compareTo(b) >= 0 ? a : b);
                    }
                    return null;
                }));
            }
            for (Future<?> f : runs) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        ThreeRegions.awaitTrue(() -> drained(us, ap, eu) && Divergence.divergent(fixture, newest.keySet(), ALL).isEmpty(),
                Duration.ofSeconds(60), "every region converged");
        assertThat(newest).hasSize(30);
        for (Map.Entry<String, Version> e : newest.entrySet()) {
            for (String region : ALL) {
                Map<String, String> h = fixture.direct(region).hgetall(e.getKey());
                Version stored = new Version(Long.parseUnsignedLong(h.get("v"), 16), h.get("w"));
                assertThat(stored).as(region + " holds the newest acknowledged write of " + e.getKey())
                        .isGreaterThanOrEqualTo(e.getValue());
            }
        }
        assertThat(Divergence.divergent(fixture, newest.keySet(), ALL)).as("divergent keys").isEmpty();
        assertThat(us.stats().get(Region.of("eu")).hintsReplayed() + ap.stats().get(Region.of("eu")).hintsReplayed())
                .as("writes that reached eu in batches").isPositive();
    }

    @Test
    void batchesCarryOnlyKeysTheirTargetMayHold() throws Exception {
        // no instance runs in ap, so what was shipped there stays in ap's inbox, to be read here
        RegionalRedisConfig batched = fixture.config()
                .replication("ap", ReplicationMode.batched(Duration.ofMillis(100), 64 * 1024))
                .replication("eu", ReplicationMode.batched(Duration.ofMillis(100), 64 * 1024)).build();
        RegionalRedis<String> us = fixture.redis("us", batched);
        us.forUser("bob").set("profile:bob", "kept in us and ap");     // REGULATED, bob in us: us and ap only
        us.forUser("alice").set("profile:alice", "kept in eu");        // REGULATED, alice in eu: eu only
        us.set("product:1", "everywhere");
        ThreeRegions.awaitTrue(() -> us.pendingHints("ap") == 0 && us.pendingHints("eu") == 0
                && fixture.direct("ap").exists("rr:inbox:{ap}") == 1 && fixture.direct("eu").exists("rr:inbox:{eu}") == 1,
                Duration.ofSeconds(30), "batches shipped");

        assertThat(inboxKeys("ap")).contains("profile:bob", "product:1").doesNotContain("profile:alice");
        assertThat(inboxKeys("eu")).contains("product:1").doesNotContain("profile:bob", "profile:alice");
        // alice's key may not be held by us, so it was never queued in us's log: it went to eu at once
        assertThat(fixture.direct("eu").hget("profile:alice", "d")).isEqualTo("kept in eu");
        assertThat(fixture.direct("eu").exists("profile:bob")).isZero();
    }

    @Test
    void fullBatchQueue_refusesTheWrite_namingEveryBatchedRegion_andKeepsTheBound() {
        ReplicationMode hourly = ReplicationMode.batched(Duration.ofHours(1), 64 * 1024);
        RegionalRedis<String> us = fixture.redis("us", fixture.config().hintLogMaxBytes(4096)
                .replication("eu", hourly).replication("ap", hourly).build());
        String value = "x".repeat(300);
        int accepted = 0;
        WriteNotAcknowledgedException refused = null;
        for (int i = 0; i < 100 && refused == null; i++) {
            try {
                us.set("product:full:" + i, value, AckPolicy.LOCAL);
                accepted++;
            } catch (WriteNotAcknowledgedException e) {
                refused = e;
            }
        }
        assertThat(accepted).as("writes queued before the bound").isBetween(3, 12);
        assertThat(refused).as("the write the full queue refused").isNotNull();
        assertThat(refused.failedRegions()).containsExactlyInAnyOrder(Region.of("eu"), Region.of("ap"));
        assertThat(refused.unhintedRegions()).containsExactlyInAnyOrder(Region.of("eu"), Region.of("ap"));
        assertThat(us.pendingHintBytes("eu")).isLessThanOrEqualTo(4096);
        assertThat(us.pendingHints("eu")).isEqualTo(accepted);
        assertThat(us.stats().get(Region.of("ap")).hintsLost()).isEqualTo(1);
    }

    @Test
    void aWriteRefusedLocally_isQueuedForNoRegion_andNothingIsCountedLost_whileASupersededOneIsStillQueued() {
        ReplicationMode hourly = ReplicationMode.batched(Duration.ofHours(1), 64 * 1024);
        RegionalRedis<String> us = fixture.redis("us", fixture.config().replication("eu", hourly)
                .replication("ap", hourly).build());
        fixture.direct("us").set("product:foreign", "written by another client");

        WriteNotAcknowledgedException refused = null;
        try {
            us.set("product:foreign", "{\"sku\":\"A\"}", AckPolicy.LOCAL);
        } catch (WriteNotAcknowledgedException e) {
            refused = e;
        }

        assertThat(refused).as("the local refusal reaches the caller").isNotNull();
        assertThat(refused.getCause()).isInstanceOf(io.regionrouter.redis.ForeignValueException.class);
        assertThat(refused.unhintedRegions()).containsExactlyInAnyOrder(Region.of("us"), Region.of("eu"),
                Region.of("ap"));
        assertThat(us.pendingHints("eu")).as("a refused write is queued for no region").isZero();
        assertThat(us.pendingHints("ap")).isZero();
        assertThat(us.stats().get(Region.of("eu")).hintsLost()).as("refused, not lost").isZero();

        us.set("product:newer-in-us", "{\"sku\":\"B\"}", AckPolicy.LOCAL);
        fixture.direct("us").hset("product:newer-in-us", "v", "7fffffffffff0000");
        us.set("product:newer-in-us", "{\"sku\":\"C\"}", AckPolicy.LOCAL);

        assertThat(us.pendingHints("eu")).as("superseded in us, still queued: eu keeps the newest it gets").isEqualTo(2);
    }

    private static List<String> inboxKeys(String region) {
        List<String> keys = new ArrayList<>();
        var c = fixture.directBytes(region);
        for (var m : c.xrange(("rr:inbox:{" + region + "}").getBytes(StandardCharsets.UTF_8),
                io.lettuce.core.Range.create("-", "+"))) {
            for (var field : m.getBody().entrySet()) {
                if (new String(field.getKey(), StandardCharsets.UTF_8).equals("b")) {
                    BatchCodec.decode(field.getValue()).forEach(i -> keys.add(new String(i.key(), StandardCharsets.UTF_8)));
                }
            }
        }
        return keys;
    }

    private static boolean drained(RegionalRedis<?>... instances) {
        try {
            for (RegionalRedis<?> r : instances) {
                for (String target : ALL) {
                    if (r.pendingHints(target) != 0) {
                        return false;
                    }
                }
            }
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The acknowledged writes eu lacks, or holds an older version of. */
    private static List<String> missingInEu(Map<String, Version> acked) {
        List<String> missing = new ArrayList<>();
        acked.forEach((key, version) -> {
            Map<String, String> h = fixture.direct("eu").hgetall(key);
            if (h.isEmpty() || new Version(Long.parseUnsignedLong(h.get("v"), 16), h.get("w")).compareTo(version) < 0) {
                missing.add(key);
            }
        });
        return missing;
    }

    /** Each instance writes {@code count} distinct keys with ack LOCAL, {@code gap} apart; all must be acknowledged. */
    private static void write(List<RegionalRedis<String>> instances, Map<String, Version> acked, String phase,
            int count, Duration gap) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(instances.size());
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int n = 0; n < instances.size(); n++) {
                RegionalRedis<String> r = instances.get(n);
                int writer = n;
                runs.add(pool.submit(() -> {
                    for (int i = 0; i < count; i++) {
                        String key = "product:" + phase + ":" + writer + ":" + i;
                        acked.put(key, r.set(key, "{\"sku\":\"SKU-" + i + "\",\"phase\":\"" + phase
                                + "\",\"price\":49.90}", AckPolicy.LOCAL));
                        ThreeRegions.pause(gap);
                    }
                    return null;
                }));
            }
            for (Future<?> f : runs) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
