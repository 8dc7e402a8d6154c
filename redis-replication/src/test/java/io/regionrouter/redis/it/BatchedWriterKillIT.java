package io.regionrouter.redis.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.regionrouter.redis.RegionalRedis;
import io.regionrouter.redis.ReplicationMode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The writing process is killed (SIGKILL) with its batch for eu queued; the queue is in us's Redis,
 * so after a restart (a new instance in us, with a new instance id) it drains from the hint log and
 * eu gets every acknowledged write.
 */
class BatchedWriterKillIT extends ThreeRegionsBase {

    private static final int WRITES = 300;

    @Test
    void writerKilledWithBatchesQueued_afterRestartTheQueueDrains_nothingLost() throws Exception {
        Process child = start();
        try {
            List<String> output = new java.util.concurrent.CopyOnWriteArrayList<>();
            assertThat(awaitLine(child, "WROTE " + WRITES, output)).as("the writer acknowledged every write; its output:%n%s",
                    String.join(System.lineSeparator(), output)).isTrue();
        } finally {
            child.destroyForcibly(); // SIGKILL: no clean close, the batch stays queued
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(fixture.direct("eu").exists("product:killed:0")).as("nothing shipped before the kill").isZero();
        long queued = fixture.direct("us").keys("rr:hints:{eu}:log:*").stream()
                .mapToLong(k -> fixture.direct("us").xlen(k)).sum();
        assertThat(queued).as("the killed writer's queue in us's Redis").isEqualTo(WRITES);

        RegionalRedis<String> restarted = fixture.redis("us", fixture.config()
                .replication("eu", ReplicationMode.batched(Duration.ofMillis(200), 64 * 1024)).build());
        fixture.redis("eu", fixture.config().build()); // applies eu's inbox
        ThreeRegions.awaitTrue(() -> missing().isEmpty(), Duration.ofSeconds(60), "eu holding every write");
        assertThat(missing()).as("writes eu lacks").isEmpty();
        ThreeRegions.awaitTrue(() -> restarted.pendingHints("eu") == 0, Duration.ofSeconds(30), "the queue drained");
        assertThat(restarted.pendingHints("eu")).isZero();
    }

    private static List<String> missing() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < WRITES; i++) {
            if (!("v" + i).equals(fixture.direct("eu").hget("product:killed:" + i, "d"))) {
                out.add("product:killed:" + i);
            }
        }
        return out;
    }

    private static Process start() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), BatchedWriterProcess.class.getName(),
                Integer.toString(WRITES));
        for (String r : ALL) {
            pb.environment().put("RR_" + r.toUpperCase() + "_URI", fixture.regions().region(r).redis().uri());
        }
        pb.redirectErrorStream(true);
        return pb.start();
    }

    private static boolean awaitLine(Process child, String line, List<String> output) throws Exception {
        BufferedReader reader = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Boolean> seen = CompletableFuture.supplyAsync(() -> {
            try {
                for (String l = reader.readLine(); l != null; l = reader.readLine()) {
                    output.add(l);
                    if (l.equals(line)) {
                        return true;
                    }
                }
                return false;
            } catch (java.io.IOException e) {
                return false;
            }
        });
        return seen.get(90, TimeUnit.SECONDS);
    }
}
