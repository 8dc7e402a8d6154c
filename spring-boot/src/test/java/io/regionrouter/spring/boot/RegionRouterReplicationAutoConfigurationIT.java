package io.regionrouter.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.regionrouter.core.Region;
import io.regionrouter.jdbc.replication.ReplicationMonitor;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.PostgresServer;
import io.regionrouter.testkit.ServerKind;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** An application's ReplicationMonitor gets meters and a health indicator from the starter; a real streaming standby. */
class RegionRouterReplicationAutoConfigurationIT {

    static LocalRegions regions;
    static PostgresServer primary;
    static PostgresServer standby;

    @BeforeAll
    static void start() {
        regions = LocalRegions.builder().region("us", ServerKind.POSTGRES).interRegionDelay(Duration.ZERO).build().start();
        primary = regions.region("us").postgres();
        standby = primary.createStandby();
    }

    @AfterAll
    static void stop() {
        regions.close();
    }

    @Test
    void theMonitorsLinks_areHealth_andItsGaugesAreBound_andABrokenLinkIsDown() throws Exception {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(RegionRouterReplicationAutoConfiguration.class))
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withBean(ReplicationMonitor.class, () -> ReplicationMonitor.builder().region(Region.of("us"), primary.superuserDataSource())
                        .standby(Region.of("us"), "us-replica", standby.superuserDataSource()).interval(Duration.ofMillis(200))
                        .brokenAfter(Duration.ofMillis(500)).build(), d -> d.setDestroyMethodName("close"))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    ReplicationMonitor monitor = context.getBean(ReplicationMonitor.class);
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    context.getBeansOfType(MeterBinder.class).values().forEach(b -> b.bindTo(meters));
                    HealthIndicator health = context.getBean("replicationHealthIndicator", HealthIndicator.class);

                    monitor.poll();
                    assertThat(health.health().getStatus()).isEqualTo(Status.UP);
                    assertThat(health.health().getDetails().toString()).contains("us-replica");

                    standby.kill();
                    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                    while (health.health().getStatus().equals(Status.UP)) {
                        assertThat(System.nanoTime()).as("the broken link is DOWN within 20 s").isLessThan(deadline);
                        monitor.poll();
                        Thread.sleep(100);
                    }
                    assertThat(meters.find("region.router.replication.up").gauges()).isNotEmpty();
                });
    }
}
