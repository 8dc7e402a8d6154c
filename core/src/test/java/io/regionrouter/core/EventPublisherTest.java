package io.regionrouter.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Subscribing by event type: each consumer gets its type only, and one that throws harms no other. */
class EventPublisherTest {

    private static final Region EU = Region.of("eu");
    private static final Region US = Region.of("us");

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
    void healthStateChanges_reachOnStateChanged_andTheGenericForms() throws Exception {
        List<RegionStateChangedEvent> typed = new ArrayList<>();
        List<RegionStateChangedEvent> byClass = new ArrayList<>();
        List<RegionEvent> all = new ArrayList<>();
        health.eventPublisher()
                .onStateChanged(e -> {
                    throw new IllegalStateException("a consumer that throws");
                })
                .onStateChanged(typed::add)
                .on(RegionStateChangedEvent.class, byClass::add)
                .onEvent(all::add);

        goDown(EU);

        assertThat(typed).singleElement().satisfies(e -> {
            assertThat(e.region()).isEqualTo(EU);
            assertThat(e.to()).isEqualTo(RegionState.DOWN);
        });
        assertThat(byClass).isEqualTo(typed);
        assertThat(all).containsExactlyElementsOf(typed);
    }

    @Test
    void routerEvents_reachTheirOwnConsumersOnly() throws Exception {
        List<RoutedEvent> routed = new ArrayList<>();
        List<FallbackEvent> fallbacks = new ArrayList<>();
        List<ResidencyDeniedEvent> denied = new ArrayList<>();
        router.eventPublisher().onRouted(routed::add).onFallback(fallbacks::add).onResidencyDenied(denied::add);

        assertThat(router.route(Store.POSTGRES, "alice", DataClass.REGULATED, Access.WRITE)).isEqualTo(EU);
        assertThatThrownBy(() -> router.checkResidency("alice", US)).isInstanceOf(ResidencyViolationException.class);
        goDown(EU);
        assertThat(router.route(Store.POSTGRES, "alice", DataClass.GLOBAL, Access.READ)).isEqualTo(US);

        assertThat(routed).extracting(RoutedEvent::region).containsExactly(EU, US);
        assertThat(fallbacks).singleElement().satisfies(e -> assertThat(e.to()).isEqualTo(US));
        assertThat(denied).singleElement().satisfies(e -> assertThat(e.target()).isEqualTo(US));
    }

    private void goDown(Region region) {
        health.register(region, Store.POSTGRES, timeout -> {
            throw new IOException(region + " went dark");
        });
        health.recordFailure(region, Store.POSTGRES, new IOException(region + " went dark"));
    }
}
