package io.regionrouter.jdbc.failover;

import static io.regionrouter.jdbc.failover.FleetInstance.US;
import static org.assertj.core.api.Assertions.assertThat;

import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.PostgresServer;
import io.regionrouter.testkit.ServerKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * COORDINATE: three application instances on one group, ZooKeeper from a three-server in-JVM
 * {@link TestingCluster}. The primary is killed: the fleet promotes once and every instance writes
 * to the new primary; the old primary comes back writable and a restarted instance never writes to it.
 */
class FleetFailoverIT {

    @RegisterExtension
    static final LocalRegions REGIONS = LocalRegions.builder().region("us", ServerKind.POSTGRES).build();

    static TestingCluster zookeeper;
    static PostgresServer primary;
    static PostgresServer standby;
    static final List<FleetInstance> instances = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        zookeeper = new TestingCluster(3);
        zookeeper.start();
        primary = REGIONS.region("us").postgres();
        standby = primary.createStandby();
        FailoverFixture.createTable(primary, standby);
        for (int n = 0; n < 3; n++) {
            instances.add(FleetInstance.start("app-" + n, primary.jdbcUrl(), primary, standby, zookeeper.getConnectString()));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        instances.forEach(FleetInstance::close);
        if (zookeeper != null) {
            zookeeper.close();
        }
    }

    @Test
    void killedPrimary_isPromotedOnce_everyInstanceWritesToTheNewOne_andNeverToTheReturningOldOne() throws Exception {
        long id = 1;
        for (FleetInstance i : instances) {
            i.write(id++);
            assertThat(i.manager.automaticPromotion()).isTrue();
        }
        // let the lease holder's lease outlast a session, as a holder of long standing would
        Thread.sleep(FleetInstance.SESSION.toMillis() + 500);

        long killedAt = System.nanoTime();
        primary.kill();
        List<Long> firstWriteMillis = new ArrayList<>();
        for (FleetInstance i : instances) {
            i.writeUntilAccepted(1000 + id++, Duration.ofSeconds(40));
            firstWriteMillis.add(Duration.ofNanos(System.nanoTime() - killedAt).toMillis());
        }
        Thread.sleep(3000); // any second promotion would show by now
        List<FailoverReport> reports = instances.stream().flatMap(i -> i.eventsOf(FailoverCompletedEvent.class).stream())
                .map(FailoverCompletedEvent::report).toList();
        FailoverFixture.record("fleet-kill", "kill -> first acknowledged write per instance " + firstWriteMillis + " ms; reports "
                + reports);
        assertThat(reports).as("promotions by the whole fleet").hasSize(1);
        assertThat(FailoverFixture.count(standby.superuserDataSource(), "SELECT count(*) FROM " + "region_router.primary_epoch"))
                .as("epochs recorded on the new primary").isEqualTo(1);
        assertThat(reports.get(0).detection()).isPositive();
        for (FleetInstance i : instances) {
            assertThat(i.manager.primaryServer(US)).as(i.name).contains("us-standby");
        }
        assertThat(FailoverFixture.count(standby.superuserDataSource(), "SELECT count(*) FROM writes WHERE id > 1000")).isEqualTo(3);

        // the old primary comes back writable, with its old data, on the old timeline
        primary.restart();
        assertThat(FailoverFixture.inRecovery(primary)).isFalse();
        long onOld = FailoverFixture.count(primary.superuserDataSource(), "SELECT count(*) FROM writes");
        for (int round = 0; round < 10; round++) {
            for (FleetInstance i : instances) {
                i.write(2000 + id++);
            }
            Thread.sleep(100);
        }
        // and an instance restarts, with its static settings naming the old primary
        instances.remove(0).close();
        FleetInstance restarted = FleetInstance.start("app-0-restarted", primary.jdbcUrl(), primary, standby,
                zookeeper.getConnectString());
        instances.add(restarted);
        assertThat(restarted.manager.primaryServer(US)).contains("us-standby");
        for (int k = 0; k < 5; k++) {
            restarted.write(3000 + id++);
        }
        assertThat(FailoverFixture.count(primary.superuserDataSource(), "SELECT count(*) FROM writes"))
                .as("rows on the old primary after it came back").isEqualTo(onOld);
        assertThat(FailoverFixture.count(standby.superuserDataSource(), "SELECT count(*) FROM writes WHERE id > 2000")).isEqualTo(35);
    }
}
