package io.regionrouter.jdbc.replication;

import static io.regionrouter.jdbc.replication.Pg.await;
import static io.regionrouter.jdbc.replication.Pg.count;
import static io.regionrouter.jdbc.replication.Pg.execute;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionEvent;
import io.regionrouter.core.Topology;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.PostgresServer;
import io.regionrouter.testkit.ServerKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The replication monitor against real PostgreSQL 17: a GLOBAL table us -> eu and a streaming standby of us. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicationMonitorIT {

    static final Region US = Region.of("us");
    static final Region EU = Region.of("eu");
    static final String LINK = "rr_us_to_eu";
    static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    static LocalRegions regions = LocalRegions.builder().region("us", ServerKind.POSTGRES).region("eu", ServerKind.POSTGRES)
            .build();

    static final Topology TOPOLOGY = Topology.builder().regions("us", "eu").primary("us").local("eu").build();

    static LogicalReplication replication;
    static PostgresServer standby;
    static ReplicationMonitor monitor;
    static final SimpleMeterRegistry METERS = new SimpleMeterRegistry();
    static final List<RegionEvent> EVENTS = new CopyOnWriteArrayList<>();

    static DataSource db(Region r) {
        return regions.region(r.id()).postgres().superuserDataSource();
    }

    @BeforeAll
    static void setUp() throws Exception {
        for (Region r : TOPOLOGY.regions()) {
            execute(db(r), "CREATE TABLE products (id bigint PRIMARY KEY, payload text NOT NULL)");
        }
        replication = Pg.replication(regions, TOPOLOGY).plan(ReplicationPlan.builder().global("products").build()).build();
        replication.apply();
        replication.awaitInitialSync(WAIT);
        standby = regions.region("us").postgres().createStandby();
        monitor = ReplicationMonitor.builder().region(US, db(US)).region(EU, db(EU))
                .standby(US, "us-replica", standby.superuserDataSource()).expect(replication.setup())
                .listener(EVENTS::add).meterRegistry(METERS).build();
    }

    @AfterAll
    static void tearDown() {
        if (monitor != null) {
            monitor.close();
        }
        if (replication != null) {
            replication.teardown();
        }
    }

    static void insertRows(int from, int count, int payloadBytes) throws Exception {
        try (Connection c = db(US).getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO products VALUES (?, repeat('x', ?))")) {
            c.setAutoCommit(false);
            for (int i = 0; i < count; i++) {
                ps.setLong(1, from + i);
                ps.setInt(2, payloadBytes);
                ps.addBatch();
            }
            ps.executeBatch();
            c.commit();
        }
    }

    @Test
    @Order(1)
    void healthyLinks_areUp_withoutAlerts() {
        ReplicationSnapshot s = monitor.poll();

        assertThat(s.errors()).isEmpty();
        assertThat(s.link(LINK)).hasValueSatisfying(l -> {
            assertThat(l.up()).as("up: " + l.problem()).isTrue();
            assertThat(l.source()).isEqualTo(US);
            assertThat(l.target()).isEqualTo("eu");
        });
        assertThat(s.link("us-replica")).hasValueSatisfying(l -> assertThat(l.kind()).isEqualTo(LinkKind.PHYSICAL));
        assertThat(s.subscriptions()).extracting(SubscriptionStatus::name).containsExactly(LINK);
        assertThat(EVENTS).isEmpty();
    }

    @Test
    @Order(2)
    void underLoad_reportsLagThatIsNotNull() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService writer = Executors.newSingleThreadExecutor();
        Future<?> load = writer.submit(() -> {
            for (int batch = 0; batch < 400 && !stop.get(); batch++) {
                insertRows(1_000 + batch * 50, 50, 200);
            }
            return null;
        });
        boolean logicalLagSeen = false;
        boolean standbyLagSeen = false;
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        try {
            while (!(logicalLagSeen && standbyLagSeen) && System.nanoTime() < deadline && !load.isDone()) {
                ReplicationSnapshot s = monitor.poll();
                logicalLagSeen |= s.senders().stream().anyMatch(x -> LINK.equals(x.applicationName())
                        && x.writeLag().isPresent() && x.replayLag().isPresent());
                standbyLagSeen |= s.standby("us-replica").flatMap(StandbyStatus::replayLag).isPresent();
                Thread.sleep(100);
            }
        } finally {
            stop.set(true);
            load.get(30, TimeUnit.SECONDS);
            writer.shutdown();
        }
        assertThat(logicalLagSeen).as("write and replay lag of the subscription's WAL sender were measured").isTrue();
        assertThat(standbyLagSeen).as("the standby's replay lag was measured").isTrue();
        Gauge lag = METERS.find(ReplicationMetrics.LAG).tags("source", "us", "target", "eu").gauge();
        assertThat(lag).isNotNull();
    }

    @Test
    @Order(3)
    void disabledSubscription_raisesBrokenAlert_untilEnabledAgain() throws Exception {
        EVENTS.clear();
        execute(db(EU), "ALTER SUBSCRIPTION " + LINK + " DISABLE");
        monitor.poll();

        assertThat(EVENTS).filteredOn(ReplicationBrokenEvent.class::isInstance).singleElement().satisfies(e -> {
            ReplicationBrokenEvent b = (ReplicationBrokenEvent) e;
            assertThat(b.link()).isEqualTo(LINK);
            assertThat(b.source()).isEqualTo(US);
            assertThat(b.target()).isEqualTo("eu");
            assertThat(b.reason()).contains("disabled");
        });
        assertThat(METERS.find(ReplicationMetrics.UP).tags("link", LINK).gauge().value()).isZero();
        monitor.poll();
        assertThat(EVENTS).filteredOn(ReplicationBrokenEvent.class::isInstance).as("raised once per episode").hasSize(1);

        execute(db(EU), "ALTER SUBSCRIPTION " + LINK + " ENABLE");
        monitor.poll();
        assertThat(EVENTS).contains(new ReplicationAlertClearedEvent(ReplicationAlert.BROKEN, LINK));
        assertThat(METERS.find(ReplicationMetrics.UP).tags("link", LINK).gauge().value()).isEqualTo(1.0);
    }

    @Test
    @Order(4)
    void stoppedSubscriber_letsSlotRetentionGrow_andRaisesRetentionAlert() throws Exception {
        execute(db(EU), "ALTER SUBSCRIPTION " + LINK + " DISABLE");
        await("the slot is released", WAIT, () -> count(db(US),
                "SELECT count(*) FROM pg_replication_slots WHERE slot_name = ? AND NOT active", LINK) == 1);
        long before = monitor.poll().slot(LINK).orElseThrow().retainedBytes().orElseThrow();
        // a logical slot's restart point moves in steps, so the alert threshold is set above today's retention
        List<RegionEvent> events = new CopyOnWriteArrayList<>();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (ReplicationMonitor strict = ReplicationMonitor.builder().region(US, db(US)).region(EU, db(EU))
                .expect(replication.setup()).slotRetentionThreshold(before + (4L << 20)).listener(events::add)
                .meterRegistry(meters).build()) {
            assertThat(strict.poll().slot(LINK)).isPresent();
            assertThat(events).filteredOn(SlotRetentionHighEvent.class::isInstance).isEmpty();

            insertRows(100_000, 20_000, 300);
            ReplicationSnapshot after = strict.poll();

            long retained = after.slot(LINK).orElseThrow().retainedBytes().orElseThrow();
            assertThat(retained).as("retained bytes after ~6 MB of WAL").isGreaterThan(before + (4L << 20));
            assertThat(events).filteredOn(SlotRetentionHighEvent.class::isInstance).singleElement().satisfies(e -> {
                SlotRetentionHighEvent r = (SlotRetentionHighEvent) e;
                assertThat(r.region()).isEqualTo(US);
                assertThat(r.slot()).isEqualTo(LINK);
                assertThat(r.active()).isFalse();
                assertThat(r.retainedBytes()).isEqualTo(retained);
            });
            Gauge gauge = meters.find(ReplicationMetrics.SLOT_RETAINED).tags("source", "us", "target", "eu", "slot", LINK).gauge();
            assertThat(gauge.value()).isEqualTo((double) retained);
        }

        execute(db(EU), "ALTER SUBSCRIPTION " + LINK + " ENABLE");
        await("eu catches up", WAIT, () -> count(db(EU), "SELECT count(*) FROM products WHERE id >= 100000") == 20_000);
    }
}
