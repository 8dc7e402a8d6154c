package io.regionrouter.redis.it;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.regionrouter.core.HealthConfig;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.StaticRegionDirectory;
import io.regionrouter.core.Topology;
import io.regionrouter.redis.AckPolicy;
import io.regionrouter.redis.RegionalRedis;
import io.regionrouter.redis.RegionalRedisConfig;
import io.regionrouter.core.MdcObservationHandler;
import io.regionrouter.redis.HintQueuedEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.helpers.BasicMDCAdapter;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A fan-out write is one observation with one child per region: acked, or missed and hinted; the
 * hint's replay is a child of the region's part that queued it.
 */
class WriteObservationIT extends ThreeRegionsBase {

    @Test
    void aWriteWithARegionCutOff_showsEachRegionsPart_andTheHint() {
        TestObservationRegistry observations = TestObservationRegistry.create();
        AtomicInteger regionPartsStopped = new AtomicInteger();
        List<String> parentsWhenStopped = new CopyOnWriteArrayList<>();
        observations.observationConfig().observationHandler(new ObservationHandler<Observation.Context>() {
            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }

            @Override
            public void onStop(Observation.Context context) {
                if (context.getName().equals("region.router.redis.write.region")) {
                    regionPartsStopped.incrementAndGet();
                    Observation parent = (Observation) context.getParentObservation();
                    parentsWhenStopped.add(context.getLowCardinalityKeyValue("region.router.region").getValue() + " under "
                            + (parent == null ? "nothing" : parent.getContext().getName()));
                }
            }
        });
        RegionHealth health = RegionHealth.builder().config(HealthConfig.builder().interval(Duration.ofMillis(150))
                .timeout(Duration.ofMillis(150)).failureThreshold(2).successThreshold(1).build()).build();
        RegionRouter router = RegionRouter.builder(Topology.builder().regions("us", "eu", "ap").local("us").primary("us")
                        .proximity("us", "ap", "eu").proximity("ap", "us", "eu").proximity("eu", "us", "ap").build())
                .directory(StaticRegionDirectory.builder().build()).health(health).observationRegistry(observations).build();
        RegionalRedisConfig config = fixture.config().build();
        RegionalRedis<String> redis = fixture.redis(router, config, System::currentTimeMillis);
        // the hint is queued on a reply's thread, inside eu's part of the write: what is logged there carries eu
        BasicMDCAdapter mdc = new BasicMDCAdapter();
        observations.observationConfig().observationHandler(new MdcObservationHandler(mdc));
        List<String> whileQueued = new CopyOnWriteArrayList<>();
        redis.addListener(event -> {
            if (event instanceof HintQueuedEvent) {
                Observation current = observations.getCurrentObservation();
                whileQueued.add((current == null ? "none" : current.getContext().getName()) + " " + mdc.get("region.router.region")
                        + " " + mdc.get("region.router.store"));
            }
        });
        try {
            SERVERS.region("eu").redis().partition();
            try {
                redis.set("product:obs", "v", AckPolicy.LOCAL);
                ThreeRegions.awaitTrue(() -> redis.pendingHints("eu") == 1, Duration.ofSeconds(10), "the hint for eu");
                ThreeRegions.awaitTrue(() -> regionPartsStopped.get() == 3, Duration.ofSeconds(10), "every region's part settled");
            } finally {
                SERVERS.region("eu").redis().heal();
            }
            // leave no hint behind for the instances of later tests to find
            ThreeRegions.awaitTrue(() -> redis.pendingHints("eu") == 0, Duration.ofSeconds(10), "the hint replayed to eu");
        } finally {
            redis.close();
            health.close();
        }

        org.assertj.core.api.Assertions.assertThat(whileQueued).containsExactly("region.router.redis.write.region eu redis");
        // a hinted part is kept for its replay without its parent, so it was the write's child until it stopped
        org.assertj.core.api.Assertions.assertThat(parentsWhenStopped).containsExactlyInAnyOrder("us under region.router.redis.write",
                "ap under region.router.redis.write", "eu under region.router.redis.write");
        assertThat(observations).hasNumberOfObservationsWithNameEqualTo("region.router.redis.write", 1)
                .hasAnObservation(o -> o.hasNameEqualTo("region.router.redis.write").hasLowCardinalityKeyValue("region.router.outcome", "ok")
                        .hasLowCardinalityKeyValue("region.router.redis.ack", "local")
                        .hasHighCardinalityKeyValue("region.router.redis.key", "product:obs"))
                .hasAnObservation(o -> o.hasNameEqualTo("region.router.redis.write.region").hasLowCardinalityKeyValue("region.router.region", "eu")
                        .hasLowCardinalityKeyValue("region.router.outcome", "hinted"))
                .hasAnObservation(o -> o.hasNameEqualTo("region.router.redis.hint.replay").hasContextualNameEqualTo("redis hint replay eu")
                        .hasLowCardinalityKeyValue("region.router.region", "eu").hasLowCardinalityKeyValue("region.router.outcome", "replayed")
                        .hasParentObservationContextMatching(parent -> ((Observation.ContextView) parent).getName()
                                .equals("region.router.redis.write.region")
                                && "eu".equals(((Observation.ContextView) parent).getLowCardinalityKeyValue("region.router.region").getValue())))
                .hasAnObservation(o -> o.hasNameEqualTo("region.router.redis.write.region").hasLowCardinalityKeyValue("region.router.region", "us")
                        .hasLowCardinalityKeyValue("region.router.outcome", "acked"))
                .hasAnObservation(o -> o.hasNameEqualTo("region.router.redis.write.region").hasLowCardinalityKeyValue("region.router.region", "ap")
                        .hasLowCardinalityKeyValue("region.router.outcome", "acked"));
    }
}
