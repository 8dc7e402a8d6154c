package io.regionrouter.jdbc.failover;

import static io.regionrouter.jdbc.failover.FailoverFixture.US;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.regionrouter.core.Region;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.ServerKind;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An operator's failover: a before-promotion hook can veto it; otherwise it is a clean switchover. */
class ManualFailoverIT extends UsFailoverBase {

    @RegisterExtension
    static final LocalRegions REGIONS = LocalRegions.builder().region("us", ServerKind.POSTGRES).build();

    private static final AtomicBoolean veto = new AtomicBoolean(true);

    @BeforeAll
    static void start() throws Exception {
        startPrimaryAndStandby(REGIONS);
        fixture = FailoverFixture.usOnly(primary);
        manager = fixture.manager(primary, standby, Durability.ASYNCHRONOUS)
                .config(FailoverConfig.builder().automatic(false).build())
                .promotionListener(new PromotionListener() {
                    @Override
                    public void beforePromotion(Region region, PgEndpoint from, PgEndpoint to, long epoch) {
                        if (veto.get()) {
                            throw new IllegalStateException("DNS update failed");
                        }
                    }
                }).build();
    }

    @Test
    void manualFailover_isVetoedByAFailingHook_thenSwitchesOverWithoutLoss_andOnlyOnce() throws Exception {
        fixture.write(1);
        assertThatThrownBy(() -> manager.failover(US)).isInstanceOf(FailoverException.class)
                .hasMessageContaining("vetoed").hasMessageContaining("DNS update failed");
        assertThat(fixture.eventsOf(FailoverAbortedEvent.class)).hasSize(1);
        assertThat(FailoverFixture.inRecovery(standby)).isTrue();
        assertThat(manager.epoch(US)).isZero();
        fixture.write(2); // the primary was left untouched: still writable through the router

        veto.set(false);
        FailoverReport report = manager.failover(US);
        FailoverFixture.record("manual", "promotion " + report.promotion().toMillis() + " ms, first write "
                + report.firstWrite().toMillis() + " ms, walBytesLost " + report.walBytesLost() + " (exact)");
        assertThat(report.trigger()).isEqualTo(Trigger.MANUAL);
        assertThat(report.detection()).isEqualTo(Duration.ZERO);
        assertThat(report.walBytesLostExact()).isTrue();
        assertThat(report.walBytesLost()).isZero();
        // the fence may make a follow round refuse the region before the standby is promoted (one switch),
        // then the region follows the standby (another)
        assertThat(manager.epoch(US)).isBetween(1L, 2L);
        assertThat(manager.primaryServer(US)).contains("us-standby");
        fixture.writeUntilAccepted(3, Duration.ofSeconds(10));
        assertThat(FailoverFixture.ids(standby.superuserDataSource())).contains(1L, 2L, 3L);
        assertThat(FailoverFixture.ids(primary.superuserDataSource())).doesNotContain(3L);

        TestObservationRegistryAssert.assertThat(fixture.observations)
                .hasNumberOfObservationsWithNameEqualTo("region.router.failover", 2)
                .hasAnObservation(o -> o.hasNameEqualTo("region.router.failover").hasContextualNameEqualTo("failover us")
                        .hasLowCardinalityKeyValue("region.router.failover.trigger", "manual")
                        .hasLowCardinalityKeyValue("region.router.outcome", "failed").hasError())
                .hasAnObservation(o -> o.hasNameEqualTo("region.router.failover").hasLowCardinalityKeyValue("region.router.outcome", "completed")
                        .hasHighCardinalityKeyValue("region.router.failover.to", "us-standby")
                        .hasHighCardinalityKeyValue("region.router.failover.detection.ms", "0"));
        for (String phase : List.of("fence", "promote", "switch", "first-write")) {
            TestObservationRegistryAssert.assertThat(fixture.observations).hasAnObservation(o -> o.hasNameEqualTo("region.router.failover.phase")
                    .hasContextualNameEqualTo("failover " + phase + " us").hasLowCardinalityKeyValue("region.router.failover.phase", phase)
                    .hasParentObservationContextMatching(parent -> "region.router.failover"
                            .equals(((io.micrometer.observation.Observation.ContextView) parent).getName())));
        }

        assertThatThrownBy(() -> manager.failover(US)).isInstanceOf(FailoverException.class)
                .hasMessage("region us is failing over or has failed over already (DONE)");
        assertThatThrownBy(() -> manager.failover(Region.of("eu"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("region eu has no failover group; configured: [us]");
    }
}
