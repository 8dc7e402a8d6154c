package io.regionrouter.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ReplicationMonitorTest {

    static final Region US = Region.of("us");
    static final Region EU = Region.of("eu");

    static final class MutableClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    @Test
    void unreachableSubscriber_isRecordedAsError_andBreaksTheExpectedLinkAfterTheGracePeriod() {
        MutableClock clock = new MutableClock();
        List<RegionEvent> events = new ArrayList<>();
        ReplicationSetup setup = new ReplicationSetup("rr", List.of(),
                List.of(new PlannedSubscription(EU, US, "rr_us_to_eu", List.of("rr_global"))));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (ReplicationMonitor monitor = ReplicationMonitor.builder().region(EU, UnreachableDataSource.create()).expect(setup)
                .brokenAfter(Duration.ofSeconds(10)).clock(clock).listener(events::add).meterRegistry(meters).build()) {

            ReplicationSnapshot first = monitor.poll();
            assertThat(first.errors()).containsEntry("eu", "unreachable");
            assertThat(first.link("rr_us_to_eu")).hasValueSatisfying(l -> assertThat(l.up()).isTrue());
            assertThat(events).isEmpty();

            clock.now.set(clock.now.get().plusSeconds(10));
            ReplicationSnapshot later = monitor.poll();

            assertThat(later.link("rr_us_to_eu")).hasValueSatisfying(l -> assertThat(l.up()).isFalse());
            assertThat(events).containsExactly(new ReplicationBrokenEvent("rr_us_to_eu", US, "eu",
                    "region eu could not be read: unreachable"));
            assertThat(monitor.activeAlerts(ReplicationAlert.BROKEN)).containsExactly("rr_us_to_eu");
            assertThat(meters.get(ReplicationMetrics.UP).tags("source", "us", "target", "eu", "link", "rr_us_to_eu", "kind", "logical")
                    .gauge().value()).isZero();
            assertThat(meters.get(ReplicationMetrics.LAG).tags("link", "rr_us_to_eu").gauge().value()).isNaN();
        }
    }

    @Test
    void everyPoll_isObserved_withEachJudgedPathAsAChild() {
        MutableClock clock = new MutableClock();
        ReplicationSetup setup = new ReplicationSetup("rr", List.of(),
                List.of(new PlannedSubscription(EU, US, "rr_us_to_eu", List.of("rr_global"))));
        TestObservationRegistry observations = TestObservationRegistry.create();
        try (ReplicationMonitor monitor = ReplicationMonitor.builder().region(EU, UnreachableDataSource.create()).expect(setup)
                .brokenAfter(Duration.ofSeconds(10)).clock(clock).observationRegistry(observations).build()) {
            monitor.poll();
            clock.now.set(clock.now.get().plusSeconds(10));
            monitor.poll();
        }

        TestObservationRegistryAssert.assertThat(observations)
                .hasNumberOfObservationsWithNameEqualTo("region.router.jdbc.replication.poll", 2)
                .hasNumberOfObservationsWithNameEqualTo("region.router.jdbc.replication.link", 2)
                .hasAnObservation(o -> o.hasNameEqualTo("region.router.jdbc.replication.poll")
                        .hasLowCardinalityKeyValue("region.router.outcome", "partial"))
                .hasAnObservation(o -> o.hasNameEqualTo("region.router.jdbc.replication.link").hasContextualNameEqualTo("replication us -> eu")
                        .hasLowCardinalityKeyValue("region.router.region", "us").hasLowCardinalityKeyValue("region.router.replication.target", "eu")
                        .hasLowCardinalityKeyValue("region.router.replication.kind", "logical")
                        .hasLowCardinalityKeyValue("region.router.outcome", "down")
                        .hasHighCardinalityKeyValue("region.router.replication.lag.ms", "unknown")
                        .hasParentObservationContextMatching(parent -> "region.router.jdbc.replication.poll"
                                .equals(((io.micrometer.observation.Observation.ContextView) parent).getName())));
    }

    @Test
    void listenerThatThrows_doesNotStopOthers() {
        MutableClock clock = new MutableClock();
        List<RegionEvent> events = new ArrayList<>();
        ReplicationSetup setup = new ReplicationSetup("rr", List.of(),
                List.of(new PlannedSubscription(EU, US, "rr_us_to_eu", List.of("rr_global"))));
        try (ReplicationMonitor monitor = ReplicationMonitor.builder().region(EU, UnreachableDataSource.create()).expect(setup)
                .brokenAfter(Duration.ZERO).clock(clock).listener(e -> {
                    throw new IllegalStateException("boom");
                }).listener(events::add).build()) {
            monitor.poll();
        }
        assertThat(events).hasSize(1);
    }

    @Test
    void typedSubscriptions_getTheirOwnEventTypeOnly() {
        MutableClock clock = new MutableClock();
        List<ReplicationBrokenEvent> broken = new ArrayList<>();
        List<RegionEvent> lagHigh = new ArrayList<>();
        ReplicationSetup setup = new ReplicationSetup("rr", List.of(),
                List.of(new PlannedSubscription(EU, US, "rr_us_to_eu", List.of("rr_global"))));
        try (ReplicationMonitor monitor = ReplicationMonitor.builder().region(EU, UnreachableDataSource.create()).expect(setup)
                .brokenAfter(Duration.ZERO).clock(clock).build()) {
            monitor.eventPublisher().onBroken(broken::add).onLagHigh(lagHigh::add).onSlotRetentionHigh(lagHigh::add);
            monitor.poll();
        }
        assertThat(broken).containsExactly(new ReplicationBrokenEvent("rr_us_to_eu", US, "eu",
                "region eu could not be read: unreachable"));
        assertThat(lagHigh).isEmpty();
    }

    @Test
    void builder_refusesBadValues_namingTheField() {
        assertThatThrownBy(() -> ReplicationMonitor.builder().build()).isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("monitor.regions must name at least one region or standby, but was empty");
        assertThatThrownBy(() -> ReplicationMonitor.builder().interval(Duration.ofMillis(10)))
                .hasMessage("monitor.interval must be in [100 ms, 3600000 ms], but was 10 ms");
        assertThatThrownBy(() -> ReplicationMonitor.builder().slotRetentionThreshold(0))
                .hasMessage("monitor.slotRetentionThreshold must be in [1, 1099511627776], but was 0");
        assertThatThrownBy(() -> ReplicationMonitor.builder().meterRegistry("not a registry"))
                .hasMessage("monitor.meterRegistry must be an io.micrometer.core.instrument.MeterRegistry, but was java.lang.String");
        assertThatThrownBy(() -> ReplicationMonitor.builder().region(US, UnreachableDataSource.create())
                .region(US, UnreachableDataSource.create()))
                .hasMessage("monitor.regions.us: region must be added once, but was added twice");
        assertThatThrownBy(() -> ReplicationMonitor.builder().standby(US, " ", UnreachableDataSource.create()))
                .hasMessage("monitor.standby.name must not be blank, but was \" \"");
    }

    @Test
    void defaults_matchTheDocumentedValues() {
        assertThat(ReplicationMonitor.DEFAULT_HIGH_LAG).isEqualTo(Duration.ofSeconds(300));
        assertThat(ReplicationMonitor.DEFAULT_SLOT_RETENTION_THRESHOLD).isEqualTo(1L << 30);
        assertThat(ReplicationMonitor.DEFAULT_INTERVAL).isEqualTo(Duration.ofSeconds(10));
    }
}
