package io.regionrouter.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.regionrouter.core.Region;
import io.regionrouter.jdbc.replication.internal.LinkJudge.RegionReading;
import io.regionrouter.jdbc.replication.internal.LinkJudge.StandbyReading;
import io.regionrouter.jdbc.replication.internal.LinkJudge;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LinkJudgeTest {

    static final Region US = Region.of("us");
    static final Region EU = Region.of("eu");
    static final PlannedSubscription SUB = new PlannedSubscription(EU, US, "rr_us_to_eu", List.of("rr_global"));
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    final LinkJudge judge = new LinkJudge(Duration.ofSeconds(30));

    static SenderStatus sender(Optional<Duration> replayLag, boolean caughtUp) {
        return new SenderStatus(US, "rr_us_to_eu", "rr_us_to_eu", true, "streaming", Optional.empty(), Optional.empty(),
                replayLag, 0, caughtUp);
    }

    static SubscriptionStatus subscription(boolean enabled, boolean worker) {
        return new SubscriptionStatus(EU, "rr_us_to_eu", enabled, worker, Optional.empty(), Optional.empty(), Optional.empty());
    }

    static Map<Region, RegionReading> readings(List<SenderStatus> senders, List<SubscriptionStatus> subs) {
        Map<Region, RegionReading> m = new LinkedHashMap<>();
        m.put(US, new RegionReading(senders, List.of(), null));
        m.put(EU, new RegionReading(List.of(), subs, null));
        return m;
    }

    ReplicationLink judge(Instant at, Map<Region, RegionReading> readings) {
        return judge.judge(at, List.of(SUB), readings, List.of()).get(0);
    }

    @Test
    void healthyLink_isUp_withPublisherReplayLag() {
        ReplicationLink l = judge(T0, readings(List.of(sender(Optional.of(Duration.ofMillis(40)), false)),
                List.of(subscription(true, true))));

        assertThat(l.up()).isTrue();
        assertThat(l.problem()).isNull();
        assertThat(l.lag()).contains(Duration.ofMillis(40));
        assertThat(l.source()).isEqualTo(US);
        assertThat(l.target()).isEqualTo("eu");
    }

    @Test
    void idleCaughtUpLink_hasZeroLag_notUnknown() {
        ReplicationLink l = judge(T0, readings(List.of(sender(Optional.empty(), true)), List.of(subscription(true, true))));

        assertThat(l.lag()).contains(Duration.ZERO);
    }

    @Test
    void disabledOrMissingSubscription_isBrokenAtOnce() {
        assertThat(judge(T0, readings(List.of(), List.of(subscription(false, false)))))
                .satisfies(l -> {
                    assertThat(l.up()).isFalse();
                    assertThat(l.problem()).isEqualTo("subscription rr_us_to_eu is disabled in region eu");
                });
        assertThat(judge(T0, readings(List.of(), List.of()))).satisfies(l -> {
            assertThat(l.up()).isFalse();
            assertThat(l.problem()).isEqualTo("subscription rr_us_to_eu is missing in region eu");
        });
    }

    @Test
    void missingWalSender_isBrokenOnlyAfterTheGracePeriod() {
        Map<Region, RegionReading> noSender = readings(List.of(), List.of(subscription(true, true)));

        assertThat(judge(T0, noSender).up()).isTrue();
        assertThat(judge(T0.plusSeconds(29), noSender)).satisfies(l -> {
            assertThat(l.up()).isTrue();
            assertThat(l.problem()).isEqualTo("publisher region us has no WAL sender for subscription rr_us_to_eu");
        });
        assertThat(judge(T0.plusSeconds(30), noSender).up()).isFalse();
    }

    @Test
    void recoveredLink_restartsTheGracePeriod() {
        Map<Region, RegionReading> noWorker = readings(List.of(), List.of(subscription(true, false)));
        Map<Region, RegionReading> healthy = readings(List.of(sender(Optional.empty(), true)), List.of(subscription(true, true)));

        judge(T0, noWorker);
        judge(T0.plusSeconds(20), healthy);

        assertThat(judge(T0.plusSeconds(40), noWorker).up()).as("only 0 s into the new episode").isTrue();
        assertThat(judge(T0.plusSeconds(70), noWorker).up()).isFalse();
    }

    @Test
    void unreadableSubscriber_isSuspectThenBroken() {
        Map<Region, RegionReading> m = readings(List.of(sender(Optional.empty(), true)), List.of());
        m.put(EU, new RegionReading(List.of(), List.of(), "connection refused"));

        assertThat(judge(T0, m).problem()).isEqualTo("region eu could not be read: connection refused");
        assertThat(judge(T0.plusSeconds(31), m).up()).isFalse();
    }

    @Test
    void discoveredSubscription_isJudged_withItsSenderRegion() {
        SubscriptionStatus other = new SubscriptionStatus(EU, "manual_sub", true, true, Optional.empty(), Optional.empty(),
                Optional.empty());
        SenderStatus sender = new SenderStatus(US, "manual_sub", "manual_sub", true, "streaming", Optional.empty(),
                Optional.empty(), Optional.of(Duration.ofSeconds(2)), 10, false);
        Map<Region, RegionReading> m = new LinkedHashMap<>();
        m.put(US, new RegionReading(List.of(sender), List.of(), null));
        m.put(EU, new RegionReading(List.of(), List.of(other), null));

        List<ReplicationLink> links = judge.judge(T0, List.of(), m, List.of());

        assertThat(links).singleElement().satisfies(l -> {
            assertThat(l.name()).isEqualTo("manual_sub");
            assertThat(l.source()).isEqualTo(US);
            assertThat(l.lag()).contains(Duration.ofSeconds(2));
        });
    }

    @Test
    void standby_promotedIsBroken_notStreamingIsSuspect() {
        StandbyStatus promoted = new StandbyStatus(US, "r1", false, false, false, Optional.empty(), "0/1");
        StandbyStatus notStreaming = new StandbyStatus(US, "r2", true, false, false, Optional.of(Duration.ofSeconds(3)), "0/1");

        List<ReplicationLink> links = judge.judge(T0, List.of(), Map.of(),
                List.of(new StandbyReading(US, "r1", promoted, null), new StandbyReading(US, "r2", notStreaming, null)));

        assertThat(links.get(0).up()).isFalse();
        assertThat(links.get(0).kind()).isEqualTo(LinkKind.PHYSICAL);
        assertThat(links.get(1).up()).isTrue();
        assertThat(links.get(1).lag()).contains(Duration.ofSeconds(3));
        assertThat(links.get(1).problem()).isEqualTo("standby r2 is not streaming WAL from its primary");
    }
}
