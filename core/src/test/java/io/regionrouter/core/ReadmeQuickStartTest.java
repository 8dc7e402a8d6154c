package io.regionrouter.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;

import org.junit.jupiter.api.Test;

/** The README's quick start, kept compiling and true. */
class ReadmeQuickStartTest {

    @Test
    void quickStart_routesAliceToHerHomeRegion_andFailsClosedWhenItIsDown() {
        RegionDirectory myDirectory = StaticRegionDirectory.builder().user("alice", "eu").build();

        Topology topology = Topology.builder()
                .regions("us", "eu", "ap")
                .local("eu").primary("us")
                .residency("eu", "eu")
                .build();
        RegionHealth health = RegionHealth.builder()
                .config(HealthConfig.builder().failureThreshold(1).minimumCalls(1).build())
                .build();
        RegionRouter router = RegionRouter.builder(topology)
                .directory(CachingRegionDirectory.builder(myDirectory).build())
                .health(health)
                .build();
        try (health) {
            assertThat(router.homeRegion("alice")).isEqualTo(Region.of("eu"));
            assertThat(router.route(Store.POSTGRES, "alice", DataClass.REGULATED, Access.WRITE)).isEqualTo(Region.of("eu"));

            health.register(Region.of("eu"), Store.POSTGRES, timeout -> {
                throw new IOException("eu went dark");
            });
            health.recordFailure(Region.of("eu"), Store.POSTGRES, new IOException("eu went dark"));
            assertThatThrownBy(() -> router.route(Store.POSTGRES, "alice", DataClass.REGULATED, Access.WRITE))
                    .isInstanceOf(RegionUnavailableException.class);
            assertThat(router.route(Store.POSTGRES, "alice", DataClass.GLOBAL, Access.READ))
                    .as("global reads move to the nearest healthy region")
                    .isEqualTo(Region.of("us"));
        }
    }
}
