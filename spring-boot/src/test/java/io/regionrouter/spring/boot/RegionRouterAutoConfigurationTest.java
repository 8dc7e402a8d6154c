package io.regionrouter.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.regionrouter.core.CachingRegionDirectory;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionContext;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.Store;
import io.regionrouter.core.Topology;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.TaskDecorator;

class RegionRouterAutoConfigurationTest {

    final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RegionRouterAutoConfiguration.class, RegionRouterJdbcAutoConfiguration.class,
                    RegionRouterHealthAutoConfiguration.class, RegionRouterMetricsAutoConfiguration.class,
                    RegionRouterEndpointAutoConfiguration.class));

    final ApplicationContextRunner configured = runner.withPropertyValues("region-router.regions=us,eu,ap", "region-router.local=us",
            "region-router.proximity.us=eu,ap", "region-router.residency.eu=eu", "region-router.directory.type=static",
            "region-router.directory.users.alice=eu", "region-router.directory.users.bob=us", "region-router.health.interval=2s");

    @Test
    void withoutRegionRouterLocal_nothingIsConfigured() {
        runner.run(context -> assertThat(context).doesNotHaveBean(RegionRouter.class).doesNotHaveBean(Topology.class));
    }

    @Test
    void theRouter_isBuiltFromProperties_andRoutesByTheStaticDirectory() {
        configured.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(RegionRouter.class).hasSingleBean(CachingRegionDirectory.class);
            Topology topology = context.getBean(Topology.class);
            assertThat(topology.primary()).isEqualTo(Region.of("us"));
            assertThat(topology.proximity(Region.of("us"))).containsExactly(Region.of("eu"), Region.of("ap"));
            assertThat(topology.allowedRegions(Region.of("eu"))).containsExactly(Region.of("eu"));
            assertThat(context.getBean(RegionRouter.class).health().config().interval()).hasSeconds(2);
            RegionRouter router = context.getBean(RegionRouter.class);
            try (RegionContext.Scope scope = RegionContext.forUser("alice").open()) {
                assertThat(router.routeCurrent(Store.POSTGRES)).isEqualTo(Region.of("eu"));
            }
        });
    }

    @Test
    void theApplicationsObservationRegistry_observesEveryRoutingDecision() {
        io.micrometer.observation.tck.TestObservationRegistry observations = io.micrometer.observation.tck.TestObservationRegistry.create();
        configured.withBean(io.micrometer.observation.ObservationRegistry.class, () -> observations).run(context -> {
            context.getBean(RegionRouter.class).route(Store.POSTGRES, "alice", io.regionrouter.core.DataClass.REGULATED,
                    io.regionrouter.core.Access.READ);
            io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat(observations).hasSingleObservationThat()
                    .hasLowCardinalityKeyValue("region.router.region", "eu");
            assertThat(context).hasSingleBean(io.regionrouter.core.MdcObservationHandler.class);
        });
    }

    @Test
    void everyBean_backsOffForTheApplicationsOwn() {
        configured.withUserConfiguration(OwnTopology.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(Topology.class)).isSameAs(context.getBean(OwnTopology.class).topology);
            assertThat(context.getBean(RegionRouter.class).topology().regions()).containsExactly(Region.of("us"), Region.of("eu"));
        });
    }

    @Test
    void aMistake_failsTheStartup_namingTheSetting() {
        configured.withPropertyValues("region-router.local=mars").run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("local").hasMessageContaining("mars"));
        runner.withPropertyValues("region-router.regions=us,eu", "region-router.local=us").run(context -> assertThat(context)
                .hasFailed().getFailure().rootCause().hasMessageStartingWith("region-router needs exactly one RegionDirectory"));
        configured.withPropertyValues("region-router.health.interval=0s").run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("interval"));
    }

    @Test
    void theTaskDecorator_carriesTheSubmittersContext() {
        configured.run(context -> {
            TaskDecorator decorator = context.getBean(TaskDecorator.class);
            AtomicReference<String> seen = new AtomicReference<>();
            Runnable task;
            try (RegionContext.Scope scope = RegionContext.forUser("alice").open()) {
                task = decorator.decorate(() -> seen.set(RegionContext.current().flatMap(RegionContext::userId).orElse("none")));
            }
            Thread worker = new Thread(task);
            worker.start();
            worker.join();
            assertThat(seen.get()).isEqualTo("alice");
        });
    }

    @Test
    void theEndpoint_showsTopologyAndStores_andNoUser() {
        configured.run(context -> {
            java.util.Map<String, Object> routing = context.getBean(RegionRouterEndpoint.class).routing();
            assertThat(routing).containsEntry("local", "us").containsEntry("primary", "us");
            assertThat(routing.toString()).contains("regulatedDataMayLiveIn=[eu]").doesNotContain("alice");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnTopology {
        final Topology topology = Topology.builder().regions("us", "eu").local("us").primary("us").build();

        @Bean
        Topology topology() {
            return topology;
        }
    }
}
