package io.regionrouter.redis.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.regionrouter.redis.AckPolicy;
import io.regionrouter.redis.RegionalRedis;
import io.regionrouter.redis.RegionalRedisConfig;
import io.regionrouter.redis.Version;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Writer identity is drawn per instance, never taken from the configuration object. */
class WriterIdentityIT extends ThreeRegionsBase {

    @Test
    void twoInstancesFromOneConfig_neverShareAVersion() {
        RegionalRedisConfig config = fixture.config().instanceId("app").build();
        // one frozen wall clock for both: their hybrid-logical clocks then hand out the same timestamps,
        // so only the writer id can tell their versions apart
        long frozen = System.currentTimeMillis();
        RegionalRedis<String> a = fixture.redis(fixture.router("us"), config, () -> frozen);
        RegionalRedis<String> b = fixture.redis(fixture.router("us"), config, () -> frozen);
        assertThat(a.writerId()).isNotEqualTo(b.writerId()).startsWith("us/app.");

        Set<Version> fromA = new HashSet<>();
        Set<Version> fromB = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            fromA.add(a.set("product:w" + i, "a" + i, AckPolicy.ALL));
            fromB.add(b.set("product:x" + i, "b" + i, AckPolicy.ALL));
        }
        assertThat(fromA).hasSize(200);
        assertThat(fromB).hasSize(200);
        Set<Long> sharedTimestamps = new HashSet<>();
        fromA.forEach(v -> sharedTimestamps.add(v.timestamp()));
        assertThat(fromB).as("the same timestamps were drawn by both").anyMatch(v -> sharedTimestamps.contains(v.timestamp()));
        Set<Version> shared = new HashSet<>(fromA);
        shared.retainAll(fromB);
        assertThat(shared).as("versions shared by two instances").isEmpty();
    }
}
