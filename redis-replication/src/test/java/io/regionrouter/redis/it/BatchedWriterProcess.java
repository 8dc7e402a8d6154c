package io.regionrouter.redis.it;

import io.regionrouter.core.HealthConfig;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.Topology;
import io.regionrouter.redis.AckPolicy;
import io.regionrouter.redis.RegionalRedis;
import io.regionrouter.redis.RegionalRedisConfig;
import io.regionrouter.redis.ReplicationMode;
import java.time.Duration;

/**
 * A writing process for {@link BatchedWriterKillIT}, run in its own JVM: an instance in us that
 * batches eu with a delay of an hour, so nothing ships while it lives. It writes
 * {@code product:killed:<i>} = {@code v<i>} with ack LOCAL, prints {@code WROTE <n>} and waits to be
 * killed. Endpoints come from the environment ({@code RR_<REGION>_URI}). Its health probes are
 * tolerant (4 misses of 500 ms): it only writes, and a loaded machine must not make its own region
 * look DOWN.
 */
public final class BatchedWriterProcess {

    private BatchedWriterProcess() {
    }

    public static void main(String[] args) {
        int count = Integer.parseInt(args[0]);
        RegionHealth health = RegionHealth.builder().config(HealthConfig.builder().interval(Duration.ofMillis(500))
                .timeout(Duration.ofMillis(500)).failureThreshold(4).successThreshold(1).build()).build();
        RegionRouter router = RegionRouter.builder(Topology.builder().regions("us", "eu", "ap").local("us")
                .primary("us").proximity("us", "ap", "eu").build()).health(health).build();
        RegionalRedis.Builder<String> b = RegionalRedis.builder(router).config(config());
        for (String r : new String[] {"us", "eu", "ap"}) {
            b.region(r, System.getenv("RR_" + r.toUpperCase() + "_URI"));
        }
        RegionalRedis<String> redis = b.build();
        for (int i = 0; i < count; i++) {
            redis.set("product:killed:" + i, "v" + i, AckPolicy.LOCAL);
        }
        System.out.println("WROTE " + count);
        System.out.flush();
        try {
            Thread.sleep(Long.MAX_VALUE); // wait here to be killed, with the batch queued
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The writer's settings; the lease on its queue is the claim idle time, 2 s. */
    static RegionalRedisConfig config() {
        return RegionalRedisConfig.builder().commandTimeout(Duration.ofMillis(500)).replayInterval(Duration.ofMillis(100))
                .replayClaimIdle(Duration.ofSeconds(2)).global("product:").allowPlaintext(true)
                .replication("eu", ReplicationMode.batched(Duration.ofHours(1), ReplicationMode.MAX_MAX_BYTES))
                .build();
    }
}
