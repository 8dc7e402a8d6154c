package io.regionrouter.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.regionrouter.core.Region;
import io.regionrouter.jdbc.failover.FailoverManager;
import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The starter's failover side on a real primary and streaming standby from the testkit: the manager
 * is configured from properties, follows a promotion made outside it, does not promote on its own
 * without a coordinator, and counts the events.
 */
class RegionRouterFailoverAutoConfigurationIT extends StarterFailoverBase {

    @Test
    void theManager_followsAPromotionMadeOutsideIt_andDoesNotPromoteWithoutACoordinator() {
        runner().run(context -> {
            assertThat(context).hasNotFailed();
            FailoverManager failover = context.getBean(FailoverManager.class);
            assertThat(failover.automaticPromotion()).isFalse();
            awaitTrue(() -> failover.primary(Region.of("us")).isPresent());
            assertThat(failover.primaryServer(Region.of("us"))).contains("us-primary");

            try (Connection c = standby.superuserDataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("SELECT pg_promote()");
            }
            primary.kill();
            awaitTrue(() -> failover.primaryServer(Region.of("us")).filter("us-standby"::equals).isPresent());
            var health = (org.springframework.boot.health.contributor.CompositeHealthContributor) context.getBean(
                    "failoverHealthContributor", org.springframework.boot.health.contributor.HealthContributor.class);
            var us = ((org.springframework.boot.health.contributor.HealthIndicator) health.getContributor("us")).health();
            assertThat(us.getStatus()).isEqualTo(org.springframework.boot.health.contributor.Status.UP);
            assertThat(us.getDetails()).containsEntry("primary", "us-standby").containsEntry("timeline", 2);

            DataSource app = context.getBean(DataSource.class);
            awaitTrue(() -> writesTo(app, standby));
            assertThat(context.getBean(MeterRegistry.class).find("regionrouter.failover.events").tag("region", "us")
                    .tag("type", "PrimaryFollowedEvent").counter()).isNotNull();
        });
    }
}
