package io.regionrouter.jdbc.failover;

import static io.regionrouter.jdbc.failover.FailoverFixture.EU;
import static io.regionrouter.jdbc.failover.FailoverFixture.US;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.Topology;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.PostgresServer;
import io.regionrouter.testkit.ServerKind;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What must not fail over: a flapping link, and a standby that would break residency. The flapping test
 * ends with a real outage on the same manager, which must fail over: without that control it would also
 * pass with automatic failover switched off. The residency test runs first, while {@code primary} is
 * still the primary.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailoverSafetyIT {

    @RegisterExtension
    static final LocalRegions REGIONS = LocalRegions.builder().region("us", ServerKind.POSTGRES)
            .region("eu", ServerKind.POSTGRES).build();

    /** us data may stay in us only (the default residency). */
    private static final Topology TOPOLOGY = Topology.builder().regions("us", "eu").local("us").primary("us").build();

    private static PostgresServer primary;
    private static FailoverFixture fixture;

    @BeforeAll
    static void start() {
        primary = REGIONS.region("us").postgres();
        fixture = new FailoverFixture(TOPOLOGY, List.of(primary, REGIONS.region("eu").postgres()));
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    @Order(2)
    void tenPercentOfProbesLost_throughShortPartitions_doesNotFailOver_butAnOutageDoes() throws Exception {
        PostgresServer standby = primary.createStandby();
        try (FailoverManager manager = FailoverManager.builder(fixture.pg)
                .group(FailoverFixture.group(primary, standby, US, Durability.ASYNCHRONOUS)).singleInstance()
                .listener(fixture.events::add).build()) {
            Random random = new Random(7);
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            int partitions = 0;
            // a 450 ms partition every 3 s on average: the probe caught in it waits longer than its 200 ms
            // timeout (lost), the next one may be late too; about 1 probe in 10 is lost
            while (System.nanoTime() < end && partitions < 20) {
                Thread.sleep(2000 + random.nextInt(2000));
                primary.partition();
                try {
                    Thread.sleep(450);
                } finally {
                    primary.heal();
                }
                partitions++;
            }
            Thread.sleep(1000);
            ProbeStats stats = manager.probeStats(US);
            FailoverFixture.record("flapping", partitions + " partitions, probes " + stats + ", failure ratio "
                    + String.format("%.3f", stats.failureRatio()) + ", primary DOWN events "
                    + fixture.eventsOf(PrimaryHealthChangedEvent.class).size() / 2);
            assertThat(stats.failures()).as("probes were really lost").isPositive();
            assertThat(stats.failureRatio()).isBetween(0.03, 0.30);
            assertThat(fixture.eventsOf(FailoverCompletedEvent.class)).isEmpty();
            assertThat(manager.epoch(US)).isZero();
            assertThat(FailoverFixture.inRecovery(standby)).isTrue();
            assertThat(fixture.pg.pool(US).getJdbcUrl()).isEqualTo(primary.jdbcUrl());

            // the control: the same manager, a partition that lasts, fails over exactly once
            primary.partition();
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (fixture.eventsOf(FailoverCompletedEvent.class).isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
            } finally {
                primary.heal();
            }
            assertThat(fixture.eventsOf(FailoverCompletedEvent.class)).as("a real outage fails over").hasSize(1);
            assertThat(manager.epoch(US)).isEqualTo(1);
            assertThat(FailoverFixture.inRecovery(standby)).isFalse();
            assertThat(fixture.pg.pool(US).getJdbcUrl()).isEqualTo(standby.jdbcUrl());
        }
    }

    @Test
    @Order(1)
    void aStandbyInARegionTheResidencyRulesDoNotAllow_isRefused_failingClosed() throws Exception {
        PostgresServer standbyInEu = primary.createStandby("eu");
        FailoverGroup group = FailoverFixture.group(primary, standbyInEu, EU, Durability.ASYNCHRONOUS);
        int before = fixture.eventsOf(FailoverRefusedEvent.class).size();
        assertThatThrownBy(() -> FailoverManager.builder(fixture.pg).group(group).listener(fixture.events::add).build())
                .isInstanceOf(FailoverRefusedException.class)
                .hasMessage("failover.us.standby: us-standby runs in eu, but the REGULATED data of us may only be held in [us];"
                        + " refusing to promote it");
        assertThat(fixture.eventsOf(FailoverRefusedEvent.class)).hasSize(before + 1)
                .last().isEqualTo(new FailoverRefusedEvent(US, "us-standby", EU));
        assertThat(FailoverFixture.inRecovery(standbyInEu)).isTrue();
        assertThat(fixture.pg.epoch(US)).isZero();
    }
}
