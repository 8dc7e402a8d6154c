package io.regionrouter.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link RegionContext#forRegion}: exactly that region, in every module, through the router. */
class ExplicitRegionTest {

    private static final Region EU = Region.of("eu");

    private final RegionHealth health = RegionHealth.builder()
            .config(HealthConfig.builder().failureThreshold(1).minimumCalls(1).build())
            .build();
    private final RegionRouter router = RegionRouter.builder(Topology.builder().regions("us", "eu").local("eu").primary("us").build())
            .directory(StaticRegionDirectory.builder().user("alice", "eu").build())
            .health(health)
            .build();

    @AfterEach
    void close() {
        health.close();
    }

    @Test
    void aContextNamingARegion_isServedByExactlyThatRegion_andRefusedWhileItIsDown() {
        RegionContext euOnly = RegionContext.forRegion(EU).global(Access.READ);
        assertThat(router.route(Store.POSTGRES, euOnly)).isEqualTo(EU);
        List<FallbackEvent> fallbacks = new ArrayList<>();
        router.eventPublisher().onFallback(fallbacks::add);

        goDown(EU);

        assertThatThrownBy(() -> router.route(Store.POSTGRES, euOnly)).isInstanceOf(RegionUnavailableException.class)
                .hasMessageContaining("region eu is DOWN for postgres");
        assertThat(router.route(Store.MONGO, euOnly)).as("only the DOWN store is refused").isEqualTo(EU);
        assertThat(fallbacks).as("never served by another region").isEmpty();
    }

    private void goDown(Region region) {
        health.register(region, Store.POSTGRES, timeout -> {
            throw new IOException(region + " went dark");
        });
        health.recordFailure(region, Store.POSTGRES, new IOException(region + " went dark"));
    }
}
