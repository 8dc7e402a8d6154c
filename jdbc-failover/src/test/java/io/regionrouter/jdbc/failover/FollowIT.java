package io.regionrouter.jdbc.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.PostgresServer;
import io.regionrouter.testkit.ServerKind;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * FOLLOW, without a coordinator: three application instances (each its own router, health, pools and
 * failover manager) on one group follow a promotion made outside them, with a plain
 * {@code pg_promote()}, while the old primary stays up and writable on the old timeline.
 */
class FollowIT {

    @RegisterExtension
    static final LocalRegions REGIONS = LocalRegions.builder().region("us", ServerKind.POSTGRES).build();

    private PostgresServer primary;
    private PostgresServer standby;
    private final List<Instance> instances = new ArrayList<>();

    /** One application instance: its own fixture (router, health, pools) and failover manager. */
    record Instance(FailoverFixture fixture, FailoverManager manager) implements AutoCloseable {
        @Override
        public void close() {
            manager.close();
            fixture.close();
        }
    }

    Instance start(String name) {
        FailoverFixture fixture = FailoverFixture.usOnly(primary);
        try {
            FailoverManager manager = FailoverManager.builder(fixture.pg).group(FailoverFixture.group(primary, standby,
                    FailoverFixture.US, Durability.ASYNCHRONOUS)).listener(fixture.events::add).instanceName(name).build();
            Instance i = new Instance(fixture, manager);
            instances.add(i);
            return i;
        } catch (RuntimeException e) {
            fixture.close();
            throw e;
        }
    }

    @BeforeEach
    void servers() throws Exception {
        primary = REGIONS.region("us").postgres();
        standby = primary.createStandby();
        FailoverFixture.createTable(primary, standby);
    }

    @AfterEach
    void stop() {
        instances.forEach(Instance::close);
        instances.clear();
    }

    @Test
    void externalPgPromote_everyInstanceFollows_andNoneWritesTheOldPrimaryAgain_evenAfterARestart() throws Exception {
        for (int n = 0; n < 3; n++) {
            start("app-" + n);
        }
        for (Instance i : instances) {
            assertThat(i.manager().automaticPromotion()).isFalse();
            assertThat(i.manager().primaryServer(FailoverFixture.US)).contains("us-primary");
            assertThat(i.manager().primary(FailoverFixture.US).orElseThrow().timeline()).isEqualTo(1);
        }
        long id = 1;
        for (Instance i : instances) {
            i.fixture().write(id++);
        }

        FailoverFixture.execute(standby.superuserDataSource(), "SELECT pg_promote(true, 60)");
        long promotedAt = System.nanoTime();
        List<Long> followMillis = new ArrayList<>();
        for (Instance i : instances) {
            awaitFollowing(i, "us-standby", Duration.ofSeconds(10));
            followMillis.add(Duration.ofNanos(System.nanoTime() - promotedAt).toMillis());
        }
        FailoverFixture.record("follow", "external pg_promote -> all 3 instances switched after " + followMillis + " ms");
        assertThat(instances.get(0).manager().primary(FailoverFixture.US).orElseThrow().timeline()).isEqualTo(2);

        long onOldPrimary = FailoverFixture.count(primary.superuserDataSource(), "SELECT count(*) FROM writes");
        assertThat(FailoverFixture.inRecovery(primary)).as("the old primary is still writable, on timeline 1").isFalse();
        for (Instance i : instances) {
            for (int k = 0; k < 5; k++) {
                i.fixture().write(100 + id++);
            }
        }
        // a restarted instance: its static pool settings name the old primary, which is writable
        instances.remove(0).close();
        Instance restarted = start("app-0-restarted");
        assertThat(restarted.manager().primaryServer(FailoverFixture.US)).contains("us-standby");
        for (int k = 0; k < 5; k++) {
            restarted.fixture().write(100 + id++);
        }
        assertThat(FailoverFixture.count(primary.superuserDataSource(), "SELECT count(*) FROM writes"))
                .as("rows written to the old primary after every instance followed").isEqualTo(onOldPrimary);
        assertThat(FailoverFixture.count(standby.superuserDataSource(), "SELECT count(*) FROM writes WHERE id > 100"))
                .isEqualTo(20);
    }

    @Test
    void restartedInstanceThatCannotAskEveryServer_refusesTheRegion_ratherThanWriteAnOldPrimary() throws Exception {
        long onOldPrimary = FailoverFixture.count(primary.superuserDataSource(), "SELECT count(*) FROM writes");
        long onStandby = FailoverFixture.count(standby.superuserDataSource(), "SELECT count(*) FROM writes");
        FailoverFixture.execute(standby.superuserDataSource(), "SELECT pg_promote(true, 60)");
        standby.partition();
        Instance blind;
        try {
            blind = start("app-blind");
            assertThat(blind.manager().primaryServer(FailoverFixture.US)).isEmpty();
            assertThat(blind.fixture().eventsOf(WritesRefusedEvent.class)).isNotEmpty();
            assertThatThrownBy(() -> blind.fixture().write(50_001)).isInstanceOf(SQLException.class);
        } finally {
            standby.heal();
        }
        awaitFollowing(blind, "us-standby", Duration.ofSeconds(10));
        blind.fixture().write(50_002);
        assertThat(FailoverFixture.count(primary.superuserDataSource(), "SELECT count(*) FROM writes")).isEqualTo(onOldPrimary);
        assertThat(FailoverFixture.count(standby.superuserDataSource(), "SELECT count(*) FROM writes")).isEqualTo(onStandby + 1);
    }

    static void awaitFollowing(Instance i, String server, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!i.manager().primaryServer(FailoverFixture.US).filter(server::equals).isPresent()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("instance did not follow " + server + " within " + max + "; events: " + i.fixture().events);
            }
            Thread.sleep(5);
        }
    }
}
