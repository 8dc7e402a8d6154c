package io.regionrouter.jdbc.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.ServerKind;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A promotion that fails is retried while the primary stays down: the standby cannot be reached when
 * the primary dies, and is promoted once it can.
 */
class PromotionRetryIT extends UsFailoverBase {

    @RegisterExtension
    static final LocalRegions REGIONS = LocalRegions.builder().region("us", ServerKind.POSTGRES).build();

    @BeforeAll
    static void start() throws Exception {
        startPrimaryAndStandby(REGIONS);
        fixture = FailoverFixture.usOnly(primary);
        manager = fixture.manager(primary, standby, Durability.ASYNCHRONOUS).build();
    }

    @Test
    void standbyUnreachableWhenThePrimaryDies_promotionFails_andIsRetriedUntilItSucceeds() throws Exception {
        standby.refuse();
        try {
            primary.kill();
            fixture.awaitEvent(FailoverFailedEvent.class, e -> true, Duration.ofSeconds(30));
            // a second failed attempt while the standby is still away: the first one was retried
            fixture.awaitEvent(FailoverFailedEvent.class, e -> fixture.eventsOf(FailoverFailedEvent.class).size() > 1,
                    Duration.ofSeconds(30));
        } finally {
            standby.heal();
        }
        FailoverCompletedEvent done = fixture.awaitEvent(FailoverCompletedEvent.class, e -> true, Duration.ofSeconds(30));
        FailoverFixture.record("retry", fixture.eventsOf(FailoverFailedEvent.class).size() + " failed attempts, then "
                + done.report());
        assertThat(fixture.eventsOf(FailoverFailedEvent.class)).as("failed attempts while the standby was away").hasSizeGreaterThan(1);
        assertThat(fixture.eventsOf(FailoverCompletedEvent.class)).hasSize(1);
        assertThat(FailoverFixture.inRecovery(standby)).isFalse();
        fixture.writeUntilAccepted(1, Duration.ofSeconds(10));
        assertThat(FailoverFixture.ids(standby.superuserDataSource())).contains(1L);
    }
}
