package io.regionrouter.examples;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionState;
import io.regionrouter.core.RegionStateChangedEvent;
import io.regionrouter.core.Store;
import io.regionrouter.redis.AckPolicy;
import io.regionrouter.redis.RegionStats;
import io.regionrouter.redis.RegionalRedis;
import io.regionrouter.redis.Version;
import io.regionrouter.redis.Versioned;
import io.regionrouter.testkit.LocalRegion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Active-active Redis. A GLOBAL write acknowledged by eu alone ({@code LOCAL}) reaches every region;
 * a REGULATED key of an eu user stays in eu. Then ap is cut off: writes go on, and what ap misses
 * is kept in the hint log. After the heal the hints are replayed and every region holds the same
 * values, read from each region's Redis on its own. The library's counters give the bytes sent and
 * the estimated transfer cost.
 */
final class RedisFanOutStep implements DemoStep {

    private static final int WRITES_DURING_PARTITION = 10;
    private static final Duration FAN_OUT_LIMIT = Duration.ofSeconds(5);
    private static final Duration HINT_LIMIT = Duration.ofSeconds(10);
    private static final Duration DOWN_LIMIT = Duration.ofSeconds(8);
    private static final Duration REPLAY_LIMIT = Duration.ofSeconds(20);

    @Override
    public String title() {
        return "Redis fan-out (ack LOCAL, partition, hinted handoff, transfer cost)";
    }

    @Override
    public boolean run(DemoContext context) throws Exception {
        DemoServices s = context.services;
        RegionalRedis<String> redis = s.redis;
        DemoConsole out = context.console;
        List<String> keys = new ArrayList<>();

        String first = "product:1";
        long start = System.nanoTime();
        Version v1 = redis.set(first, productJson(1), AckPolicy.LOCAL);
        long localAck = System.nanoTime() - start;
        keys.add(first);
        Duration fannedOut = Measurements.awaitUpTo(FAN_OUT_LIMIT, () -> heldEverywhere(redis, first, v1));
        out.line("set %s with ack LOCAL: acknowledged by eu in %s, version %s", first, Measurements.millis(localAck), v1);
        out.line("  in us and ap too: %s", fannedOut == null ? "NO, not within " + Measurements.seconds(FAN_OUT_LIMIT)
                : "yes, after " + Measurements.millis(fannedOut.toNanos()));

        redis.forUser("alice").set("profile:alice", "{\"name\":\"Alice\",\"home\":\"eu\"}");
        boolean regulatedStaysHome = redis.readFrom("eu", "profile:alice").isPresent()
                && redis.readFrom("us", "profile:alice").isEmpty() && redis.readFrom("ap", "profile:alice").isEmpty();
        out.line("regulated profile:alice (home eu) held in eu only: %s", regulatedStaysHome ? "yes" : "NO");

        LocalRegion ap = context.regions.region("ap");
        long hintsBefore = redis.pendingHints("ap");
        ap.partition();
        long partitionedAt = System.nanoTime();
        out.line("ap partitioned (its proxies freeze: no reset, no answer)");
        long slowest = 0;
        for (int i = 2; i < 2 + WRITES_DURING_PARTITION; i++) {
            String key = "product:" + i;
            long t = System.nanoTime();
            redis.set(key, productJson(i), AckPolicy.LOCAL);
            slowest = Math.max(slowest, System.nanoTime() - t);
            keys.add(key);
        }
        out.line("%d writes with ack LOCAL while ap is cut off: all acknowledged, slowest %s",
                WRITES_DURING_PARTITION, Measurements.millis(slowest));
        Duration hinted = Measurements.awaitUpTo(HINT_LIMIT,
                () -> redis.pendingHints("ap") >= hintsBefore + WRITES_DURING_PARTITION);
        out.line("hints waiting for ap: %d%s", redis.pendingHints("ap"), hinted == null ? " (expected "
                + (hintsBefore + WRITES_DURING_PARTITION) + ")" : "");
        Duration down = Measurements.awaitUpTo(DOWN_LIMIT, () -> s.health.state(DemoServices.AP, Store.REDIS) == RegionState.DOWN);
        out.line("health marked ap %s", down == null ? "still UP after " + Measurements.seconds(DOWN_LIMIT)
                : "DOWN " + Measurements.seconds(Duration.ofNanos(System.nanoTime() - partitionedAt))
                        + " after the partition");

        ap.heal();
        long healedAt = System.nanoTime();
        Duration replayed = Measurements.awaitUpTo(REPLAY_LIMIT,
                () -> s.health.isUp(DemoServices.AP, Store.REDIS) && redis.pendingHints("ap") == 0);
        out.line("ap healed: %s", replayed == null
                ? "hints NOT replayed within " + Measurements.seconds(REPLAY_LIMIT) + " (" + redis.pendingHints("ap")
                        + " pending)"
                : "UP again and every hint replayed " + Measurements.seconds(Duration.ofNanos(System.nanoTime() - healedAt))
                        + " after the heal");

        boolean converged = true;
        for (String key : keys) {
            converged &= sameEverywhere(redis, key);
        }
        out.line("%d keys read from each region's Redis on its own: %s", keys.size(),
                converged ? "identical values and versions in us, eu and ap" : "DIVERGED");

        out.line("%-4s %8s %9s %9s %8s %10s %12s", "to", "acked", "hinted", "replayed", "raw B", "sent B", "est. cost");
        Map<Region, RegionStats> stats = redis.stats();
        for (RegionStats r : stats.values()) {
            out.line("%-4s %8d %9d %9d %8d %10d %12s", r.region(), r.writesAcked(), r.hintsQueued(), r.hintsReplayed(),
                    r.rawBytes(), r.sentBytes(), r.crossRegion() ? String.format("$%.9f", r.estimatedTransferCost())
                            : "local");
        }
        long crossRegionBytes = stats.values().stream().filter(RegionStats::crossRegion)
                .mapToLong(RegionStats::sentBytes).sum();
        out.line("cross-region: %d bytes sent, estimated cost $%.9f at $%.2f per GB (about $%.2f per million such writes)",
                crossRegionBytes, redis.estimatedTransferCost(), redis.config().transferPricePerGb(),
                redis.estimatedTransferCost() / keys.size() * 1_000_000);
        for (RegionStateChangedEvent change : s.stateChanges) {
            out.line("health: %s/%s %s -> %s%s", change.region(), change.store(), change.from(), change.to(),
                    change.lastFailure() == null ? "" : " (" + change.lastFailure().getClass().getSimpleName() + ")");
        }

        RegionStats toAp = stats.get(DemoServices.AP);
        RegionStats toUs = stats.get(DemoServices.US);
        boolean countersAddUp = toAp.hintsReplayed() >= WRITES_DURING_PARTITION && toUs.sentBytes() > 0
                && toAp.sentBytes() > 0 && redis.estimatedTransferCost() > 0;
        return fannedOut != null && regulatedStaysHome && hinted != null && down != null && replayed != null
                && converged && countersAddUp;
    }

    private static boolean heldEverywhere(RegionalRedis<String> redis, String key, Version version) {
        for (String region : Demo.REGIONS) {
            Optional<Versioned<String>> held = redis.readFrom(region, key);
            if (held.isEmpty() || !held.get().version().equals(version)) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameEverywhere(RegionalRedis<String> redis, String key) {
        Optional<Versioned<String>> reference = redis.readFrom(Demo.LOCAL, key);
        if (reference.isEmpty()) {
            return false;
        }
        for (String region : Demo.REGIONS) {
            Optional<Versioned<String>> held = redis.readFrom(region, key);
            if (held.isEmpty() || !Objects.equals(held.get().value(), reference.get().value())
                    || !held.get().version().equals(reference.get().version())) {
                return false;
            }
        }
        return true;
    }

    /** A product document of about 1.5 KB, typical of cached reference data (and compressible). */
    private static String productJson(int id) {
        StringBuilder sb = new StringBuilder("{\"id\":").append(id).append(",\"name\":\"Product ").append(id)
                .append("\",\"variants\":[");
        for (int i = 0; i < 20; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"sku\":\"SKU-").append(id).append('-').append(i)
                    .append("\",\"color\":\"blue\",\"size\":\"M\",\"stock\":").append(i * 7).append('}');
        }
        return sb.append("]}").toString();
    }
}
