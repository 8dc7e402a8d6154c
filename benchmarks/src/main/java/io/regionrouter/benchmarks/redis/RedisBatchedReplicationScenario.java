package io.regionrouter.benchmarks.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.regionrouter.core.HealthConfig;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.Topology;
import io.regionrouter.redis.AckPolicy;
import io.regionrouter.redis.RegionStats;
import io.regionrouter.redis.RegionalRedis;
import io.regionrouter.redis.RegionalRedisConfig;
import io.regionrouter.redis.ReplicationMode;
import io.regionrouter.testkit.LocalRegions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Cross-region bytes, cost, local write latency and recovery point of {@code IMMEDIATE} (per-write
 * compression, the default threshold of 512 B) against {@code BATCHED(500 ms)} and
 * {@code BATCHED(5 s)}, in one run, on two mixes: the JSON corpus ({@link JsonCorpus}, 0.3 to 20 KB)
 * and small counters and flags (20 to 200 B). Three regions seen from us, eu and ap 40 ms away one
 * way. One writer instance in us writes with ack LOCAL, one write every {@code pace} ms.
 *
 * <p>Cross-region bytes are what eu's and ap's Redis servers received ({@code total_net_input_bytes}
 * of {@code INFO stats}, read on their direct ports), from the first write until the queues are
 * drained, minus the idle traffic (health probes) measured over as long before the writes. No
 * instance runs in eu or ap while this is measured (their inbox is applied afterwards and checked),
 * so nothing local to those regions is counted. $ per million writes uses 0.02 per GB. The RPO is
 * {@link RegionalRedis#rpo(String)} for eu, sampled every 50 ms while writing (p50, p99). The local
 * write p50 is the time of {@code set()} itself.
 *
 * <p>Every mode runs {@code rounds} times (default 3) per mix, each round starting with another mode,
 * after a warm-up of every mode that is not counted: run once each in a fixed order, the first mode
 * paid for the JIT and the last for whatever the earlier runs left behind. A mode's figures pool its
 * rounds (bytes summed, latencies and RPO samples taken together); each round's own p50 is listed
 * too, to show the spread.
 *
 * <p>A control, measured in the same loop: a plain Lettuce {@code SET} of the same value to us on
 * the library's path, before the write on even iterations and after it on odd ones. The modes load
 * the machine differently ({@code IMMEDIATE} keeps the remote proxies and servers busy, a 5 s batch
 * leaves it idle for seconds); the control's p50 per mode shows how much of a difference between
 * modes is the machine's and not the write's. {@code localScriptMicrosPerWrite} is the time us's
 * Redis spent running scripts while the writes ran ({@code INFO commandstats}, {@code EVALSHA} and
 * {@code EVAL}), divided by the writes: the writes' own scripts and, in the batched modes, the
 * shipper's reading and removing of what it shipped meanwhile.
 *
 * <pre>{@code
 * flock /tmp/benchmarks.lock java -cp benchmarks/target/benchmarks.jar \
 *     io.regionrouter.benchmarks.redis.RedisBatchedReplicationScenario 3000 2 benchmarks/results/redis-batched-replication.json 3
 * }</pre>
 */
public final class RedisBatchedReplicationScenario {

    private static final double PRICE_PER_GB = 0.02;

    private RedisBatchedReplicationScenario() {
    }

    /**
     * Runs the scenario.
     *
     * @param args writes per mode, mix and round (default 3000), pace in ms (default 2), the JSON file,
     *     rounds (default 3)
     * @throws Exception if a run fails
     */
    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        int writes = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        long pace = args.length > 1 ? Long.parseLong(args[1]) : 2;
        Path out = Path.of(args.length > 2 ? args[2] : "benchmarks/results/redis-batched-replication.json");
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        Map<String, ReplicationMode> modes = new LinkedHashMap<>();
        modes.put("IMMEDIATE", ReplicationMode.IMMEDIATE);
        modes.put("BATCHED(500ms)", ReplicationMode.batched(Duration.ofMillis(500), 1 << 20));
        modes.put("BATCHED(5s)", ReplicationMode.batched(Duration.ofSeconds(5), 1 << 20, Duration.ofSeconds(11)));
        List<String> names = new ArrayList<>(modes.keySet());
        Map<String, List<String>> mixes = new LinkedHashMap<>();
        mixes.put("json", JsonCorpus.generate(400, 42));
        mixes.put("small", smallValues(1000, 7));
        StringBuilder json = new StringBuilder("{\n  \"writes\": " + writes + ", \"paceMillis\": " + pace
                + ", \"rounds\": " + rounds + ", \"oneWayDelayMillis\": 40, \"pricePerGb\": " + PRICE_PER_GB
                + ",\n  \"runs\": [\n");
        try (LocalRegions regions = RedisBench.startRegions()) {
            regions.viewFrom("us");
            // warm-up, not counted: whichever mode ran first would otherwise pay for the JIT
            for (String mode : names) {
                run(regions, "small", mixes.get("small"), modes.get(mode), writes / 2, pace);
            }
            boolean first = true;
            for (Map.Entry<String, List<String>> mix : mixes.entrySet()) {
                Map<String, List<Result>> results = new LinkedHashMap<>();
                names.forEach(n -> results.put(n, new ArrayList<>()));
                // each round starts with another mode, so no mode always runs first or last
                for (int round = 0; round < rounds; round++) {
                    for (int m = 0; m < names.size(); m++) {
                        String mode = names.get((round + m) % names.size());
                        results.get(mode).add(run(regions, mix.getKey(), mix.getValue(), modes.get(mode), writes, pace));
                    }
                }
                Map<String, Double> bytesPerWrite = new LinkedHashMap<>();
                Map<String, Double> p50 = new LinkedHashMap<>();
                Map<String, Double> controlP50 = new LinkedHashMap<>();
                for (String mode : names) {
                    Pooled r = Pooled.of(results.get(mode));
                    bytesPerWrite.put(mode, r.crossBytes / (double) r.writes);
                    p50.put(mode, r.p50Micros);
                    controlP50.put(mode, r.controlP50Micros);
                    String line = String.format(Locale.ROOT, "    {\"mix\": \"%s\", \"mode\": \"%s\", "
                            + "\"crossRegionBytesPer1000Writes\": %.0f, \"dollarsPerMillionWrites\": %.4f, "
                            + "\"localWriteP50Micros\": %.1f, \"localWriteP99Micros\": %.1f, "
                            + "\"localWriteP50MicrosPerRound\": %s, \"controlSetP50Micros\": %.1f, "
                            + "\"localScriptMicrosPerWrite\": %.1f, \"rpoP50Millis\": %d, "
                            + "\"rpoP99Millis\": %d, \"libraryRawBytesEu\": %d, \"librarySentBytesEu\": %d, "
                            + "\"libraryEstimatedCostEu\": %.9f, \"appliedInEu\": %s}",
                            mix.getKey(), mode, r.crossBytes * 1000.0 / r.writes,
                            r.crossBytes / (double) r.writes * 1e6 / 1e9 * PRICE_PER_GB, r.p50Micros, r.p99Micros,
                            r.roundP50s, r.controlP50Micros, r.scriptMicrosPerWrite, r.rpoP50, r.rpoP99,
                            r.rawBytesEu, r.sentBytesEu, r.estimatedCostEu, r.appliedInEu);
                    System.out.println(line.trim());
                    json.append(first ? "" : ",\n").append(line);
                    first = false;
                }
                double immediate = bytesPerWrite.get("IMMEDIATE");
                String ratios = String.format(Locale.ROOT, "    {\"mix\": \"%s\", \"bytesImmediateOverBatched500ms\": %.2f, "
                        + "\"bytesImmediateOverBatched5s\": %.2f, \"p50Batched500msOverImmediate\": %.3f, "
                        + "\"p50Batched5sOverImmediate\": %.3f, \"controlP50Batched500msOverImmediate\": %.3f, "
                        + "\"controlP50Batched5sOverImmediate\": %.3f}", mix.getKey(),
                        immediate / bytesPerWrite.get("BATCHED(500ms)"), immediate / bytesPerWrite.get("BATCHED(5s)"),
                        p50.get("BATCHED(500ms)") / p50.get("IMMEDIATE"), p50.get("BATCHED(5s)") / p50.get("IMMEDIATE"),
                        controlP50.get("BATCHED(500ms)") / controlP50.get("IMMEDIATE"),
                        controlP50.get("BATCHED(5s)") / controlP50.get("IMMEDIATE"));
                System.out.println(ratios.trim());
                json.append(",\n").append(ratios);
            }
        }
        json.append("\n  ]\n}\n");
        Files.writeString(out, json.toString());
        System.out.println("written to " + out);
    }

    /** One mode's rounds taken together: bytes and library counters summed, latencies and RPO samples pooled. */
    private record Pooled(int writes, long crossBytes, double p50Micros, double p99Micros, List<Long> roundP50s,
            double controlP50Micros, double scriptMicrosPerWrite,
            long rpoP50, long rpoP99, long rawBytesEu, long sentBytesEu, double estimatedCostEu, boolean appliedInEu) {

        static Pooled of(List<Result> rounds) {
            long[] micros = rounds.stream().flatMapToLong(r -> Arrays.stream(r.micros)).sorted().toArray();
            long[] rpo = rounds.stream().flatMapToLong(r -> Arrays.stream(r.rpoSamples)).sorted().toArray();
            long[] control = rounds.stream().flatMapToLong(r -> Arrays.stream(r.controlMicros)).sorted().toArray();
            return new Pooled(micros.length, rounds.stream().mapToLong(Result::crossBytes).sum(),
                    micros[micros.length / 2], micros[(int) (micros.length * 0.99)],
                    rounds.stream().map(r -> (long) r.p50Micros()).toList(), control[control.length / 2],
                    rounds.stream().mapToDouble(Result::scriptMicrosPerWrite).average().orElse(0),
                    rpo.length == 0 ? 0 : rpo[rpo.length / 2],
                    rpo.length == 0 ? 0 : rpo[(int) Math.min(rpo.length - 1, rpo.length * 0.99)],
                    rounds.stream().mapToLong(r -> r.eu.rawBytes()).sum(),
                    rounds.stream().mapToLong(r -> r.eu.sentBytes()).sum(),
                    rounds.stream().mapToDouble(r -> r.eu.estimatedTransferCost()).sum(),
                    rounds.stream().allMatch(Result::appliedInEu));
        }
    }

    private record Result(long crossBytes, long[] micros, long[] controlMicros, double scriptMicrosPerWrite,
            long[] rpoSamples, RegionStats eu, boolean appliedInEu) {

        double p50Micros() {
            return micros[micros.length / 2];
        }
    }

    private static Result run(LocalRegions regions, String mix, List<String> values, ReplicationMode mode, int writes,
            long pace) throws Exception {
        for (String r : regions.names()) {
            direct(regions, r, c -> c.sync().flushall());
        }
        RegionHealth health = RedisBench.health(HealthConfig.defaults());
        // batched: no per-value compression, the batch is compressed as one unit
        RegionalRedisConfig.Builder config = RedisBench.config().compression(!mode.isBatched());
        if (mode.isBatched()) {
            config.replication("eu", mode).replication("ap", mode);
        }
        RegionalRedis<String> us = RedisBench.redis(regions, RedisBench.router(health), config.build());
        String prefix = mix.equals("json") ? "doc:" : "product:";
        RedisClient controlClient = RedisClient.create(regions.region("us").redis().uri());
        try (StatefulRedisConnection<String, String> control = controlClient.connect()) {
            RedisBench.sleep(1000); // connected, probes running
            long idleStart = remoteBytes(regions);
            long idleNanos = System.nanoTime();
            RedisBench.sleep(2000);
            double idleRate = (remoteBytes(regions) - idleStart) / (double) (System.nanoTime() - idleNanos);

            direct(regions, "us", c -> c.sync().configResetstat());
            long start = remoteBytes(regions);
            long t0 = System.nanoTime();
            long[] micros = new long[writes];
            long[] controlMicros = new long[writes];
            List<Long> rpo = new ArrayList<>();
            long nextSample = System.nanoTime();
            for (int i = 0; i < writes; i++) {
                String key = prefix + (i % values.size());
                String value = values.get(i % values.size());
                // the control goes first every other write, so each sees the machine just after the pause as often
                if (i % 2 == 0) {
                    controlMicros[i] = timedControl(control, i, value);
                }
                long s = System.nanoTime();
                us.set(key, value, AckPolicy.LOCAL);
                micros[i] = (System.nanoTime() - s) / 1000;
                if (i % 2 == 1) {
                    controlMicros[i] = timedControl(control, i, value);
                }
                if (System.nanoTime() >= nextSample) {
                    rpo.add(us.rpo("eu").toMillis());
                    nextSample = System.nanoTime() + 50_000_000L;
                }
                RedisBench.sleep(pace);
            }
            double scriptMicros = scriptMicros(regions) / writes;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while ((us.pendingHints("eu") > 0 || us.pendingHints("ap") > 0) && System.nanoTime() < deadline) {
                RedisBench.sleep(20);
            }
            RedisBench.sleep(200); // the last immediate writes land
            long cross = remoteBytes(regions) - start - Math.round(idleRate * (System.nanoTime() - t0));
            RegionStats eu = us.stats().get(Region.of("eu"));
            boolean applied = applyInEuAndCheck(regions, us, prefix, values.size());
            Arrays.sort(micros);
            long[] samples = rpo.stream().mapToLong(Long::longValue).sorted().toArray();
            return new Result(cross, micros, controlMicros, scriptMicros, samples, eu, applied);
        } finally {
            us.close();
            health.close();
            controlClient.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    /** One plain {@code SET} of the same value to us, on the same path as the library's; its time in µs. */
    private static long timedControl(StatefulRedisConnection<String, String> control, int i, String value) {
        long s = System.nanoTime();
        control.sync().set("control:" + (i & 1023), value);
        return (System.nanoTime() - s) / 1000;
    }

    /** Starts an instance in eu, which applies eu's inbox, and checks that eu then matches us. */
    private static boolean applyInEuAndCheck(LocalRegions regions, RegionalRedis<String> us, String prefix, int keys) {
        RegionHealth health = RedisBench.health(HealthConfig.defaults());
        RegionalRedis.Builder<String> b = RegionalRedis.builder(RegionRouter.builder(Topology.builder()
                .regions("us", "eu", "ap").local("eu").primary("us").proximity("eu", "us", "ap").build())
                .health(health).build()).config(RedisBench.config().build());
        for (String name : regions.names()) {
            b.region(name, regions.region(name).redis().uri());
        }
        try (RegionalRedis<String> eu = b.build()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                boolean same = true;
                for (int k = 0; k < keys && same; k += 37) {
                    var there = eu.readFrom("eu", prefix + k);
                    var here = us.readFrom("us", prefix + k);
                    same = there.isPresent() && here.isPresent() && there.get().version().equals(here.get().version());
                }
                if (same) {
                    return true;
                }
                RedisBench.sleep(100);
            }
            return false;
        } finally {
            health.close();
        }
    }

    /** The µs us's Redis spent in scripts since its statistics were reset ({@code INFO commandstats}). */
    private static double scriptMicros(LocalRegions regions) {
        double[] sum = new double[1];
        direct(regions, "us", c -> {
            for (String line : c.sync().info("commandstats").split("\r\n")) {
                if (line.startsWith("cmdstat_evalsha:") || line.startsWith("cmdstat_eval:")) {
                    for (String field : line.substring(line.indexOf(':') + 1).split(",")) {
                        if (field.startsWith("usec=")) {
                            sum[0] += Long.parseLong(field.substring(5));
                        }
                    }
                }
            }
        });
        return sum[0];
    }

    private static long remoteBytes(LocalRegions regions) {
        long[] sum = new long[1];
        for (String r : List.of("eu", "ap")) {
            direct(regions, r, c -> {
                for (String line : c.sync().info("stats").split("\r\n")) {
                    if (line.startsWith("total_net_input_bytes:")) {
                        sum[0] += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                    }
                }
            });
        }
        return sum[0];
    }

    private static void direct(LocalRegions regions, String region,
            java.util.function.Consumer<StatefulRedisConnection<String, String>> action) {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + regions.region(region).redis().directPort());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            action.accept(c);
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    /** Counters, flags and tiny JSON objects of 20 to 200 bytes. */
    static List<String> smallValues(int count, long seed) {
        Random r = new Random(seed);
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String v = switch (i % 4) {
                case 0 -> "{\"views\":" + r.nextInt(1_000_000) + "}";
                case 1 -> "{\"flag\":\"checkout-v" + r.nextInt(9) + "\",\"enabled\":" + r.nextBoolean() + "}";
                case 2 -> "{\"cart\":" + i + ",\"items\":" + r.nextInt(20) + ",\"total\":" + r.nextInt(100_000) / 100.0
                        + ",\"currency\":\"EUR\",\"updated\":\"2026-11-29T08:" + (10 + r.nextInt(50)) + ":00Z\"}";
                default -> "{\"session\":\"" + Long.toHexString(r.nextLong()) + "\",\"user\":" + r.nextInt(100_000)
                        + ",\"region\":\"us\",\"roles\":[\"reader\",\"buyer\"],\"locale\":\"en-US\",\"ttl\":1800,"
                        + "\"seen\":" + (1_700_000_000_000L + r.nextInt(1_000_000)) + "}";
            };
            out.add(v);
        }
        return out;
    }
}
