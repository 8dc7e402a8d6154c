package com.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionContext;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.Store;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.core.task.TaskDecorator;

class StartsOnBoot40Test {

    @Test
    void theAutoConfiguration_startsAndRoutes_onBoot40() {
        assertThat(SpringBootVersion.getVersion()).startsWith("4.0.");
        new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(io.regionrouter.spring.boot.RegionRouterAutoConfiguration.class,
                        io.regionrouter.spring.boot.RegionRouterHealthAutoConfiguration.class,
                        io.regionrouter.spring.boot.RegionRouterMetricsAutoConfiguration.class,
                        io.regionrouter.spring.boot.RegionRouterEndpointAutoConfiguration.class,
                        io.regionrouter.spring.boot.RegionRouterWebAutoConfiguration.class))
                .withPropertyValues("region-router.regions=us,eu", "region-router.local=us", "region-router.directory.type=static",
                        "region-router.directory.users.alice=eu")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasBean("regionContextFilter").hasBean("regionRouterHealthContributor")
                            .hasSingleBean(TaskDecorator.class);
                    assertThat(context.getBean("regionRouterHealthContributor")).isInstanceOf(HealthContributor.class);
                    try (RegionContext.Scope scope = RegionContext.forUser("alice").open()) {
                        assertThat(context.getBean(RegionRouter.class).routeCurrent(Store.POSTGRES)).isEqualTo(Region.of("eu"));
                    }
                });
    }
}
