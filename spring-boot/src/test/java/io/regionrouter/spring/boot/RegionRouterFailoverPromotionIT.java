package io.regionrouter.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.regionrouter.core.Region;
import io.regionrouter.jdbc.failover.FailoverManager;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A single-instance application promotes its standby when the primary dies, and the starter's meters
 * count the promotion and time its phases.
 */
class RegionRouterFailoverPromotionIT extends StarterFailoverBase {

    @Test
    void asASingleInstance_itPromotesTheStandby_andTimesThePhases() {
        runner().withPropertyValues("region-router.failover.single-instance=true").run(context -> {
            assertThat(context).hasNotFailed();
            FailoverManager failover = context.getBean(FailoverManager.class);
            assertThat(failover.automaticPromotion()).isTrue();
            awaitTrue(() -> failover.primary(Region.of("us")).isPresent());

            primary.kill();
            awaitTrue(() -> failover.primaryServer(Region.of("us")).filter("us-standby"::equals).isPresent());
            awaitTrue(() -> writesTo(context.getBean(DataSource.class), standby));

            MeterRegistry meters = context.getBean(MeterRegistry.class);
            awaitTrue(() -> meters.find("regionrouter.failover.promotions").tag("region", "us").counter() != null);
            assertThat(meters.get("regionrouter.failover.promotions").tag("region", "us").counter().count()).isEqualTo(1.0);
            for (String phase : List.of("detection", "promotion", "first_write")) {
                assertThat(meters.get("regionrouter.failover.duration").tags("region", "us", "phase", phase).timer().count())
                        .as(phase).isEqualTo(1);
            }
        });
    }
}
