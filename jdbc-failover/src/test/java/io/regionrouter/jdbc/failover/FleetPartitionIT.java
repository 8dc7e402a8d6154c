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
 * A one-sided partition: only instance app-0, the lease holder, loses the primary (through a link of
 * its own). It sees the primary dead; the others do not, so nobody promotes and nothing is written to
 * a second primary. Then the primary really dies: the fleet promotes once, everyone follows, and
 * nothing reaches the old primary once it is back.
 */
class FleetPartitionIT {

    @RegisterExtension
    static final LocalRegions REGIONS = LocalRegions.builder().region("us", ServerKind.POSTGRES).build();

    static TestingCluster zookeeper;
    static PostgresServer primary;
    static PostgresServer standby;
    static PrivateLink link;
    static final List<FleetInstance> instances = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        zookeeper = new TestingCluster(3);
        zookeeper.start();
        primary = REGIONS.region("us").postgres();
        standby = primary.createStandby();
        FailoverFixture.createTable(primary, standby);
        link = new PrivateLink(primary.port());
        instances.add(FleetInstance.start("app-0", link.url(primary.jdbcUrl(), primary.port()), primary, standby,
                zookeeper.getConnectString()));
        awaitLease(instances.get(0));
        for (int n = 1; n < 3; n++) {
            instances.add(FleetInstance.start("app-" + n, primary.jdbcUrl(), primary, standby, zookeeper.getConnectString()));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        instances.forEach(FleetInstance::close);
        if (link != null) {
            link.close();
        }
        if (zookeeper != null) {
            zookeeper.close();
        }
    }

    static void awaitLease(FleetInstance i) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!i.coordinator.holdsLease(US)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(i.name + " did not take the lease");
            }
            Thread.sleep(20);
        }
    }

    @Test
    void onlyOneInstanceCutFromThePrimary_nobodyPromotes_thenARealDeath_isPromotedOnceAndFollowedByAll() throws Exception {
        Thread.sleep(FleetInstance.SESSION.toMillis() + 500); // the holder's lease is of long standing
        link.partition();
        long id = 1;
        try {
            // 8 s: well past detection (about 2 s) and many fleet checks
            long end = System.nanoTime() + Duration.ofSeconds(8).toNanos();
            while (System.nanoTime() < end) {
                instances.get(1).write(id++);
                instances.get(2).write(id++);
                Thread.sleep(50);
            }
            assertThat(instances.get(0).coordinator.holdsLease(US)).as("the cut-off instance holds the lease").isTrue();
            assertThat(instances.get(0).eventsOf(PrimaryHealthChangedEvent.class)).as("app-0 saw the primary DOWN")
                    .anyMatch(e -> e.state() == io.regionrouter.core.RegionState.DOWN);
        } finally {
            link.heal();
        }
        assertThat(instances.stream().mapToLong(i -> i.eventsOf(FailoverCompletedEvent.class).size()).sum())
                .as("promotions during the one-sided partition").isZero();
        assertThat(FailoverFixture.inRecovery(standby)).isTrue();
        for (FleetInstance i : instances) {
            assertThat(i.manager.primaryServer(US)).as(i.name).contains("us-primary");
        }

        // now the primary really dies: every view agrees, the fleet promotes once (with the link healed: a
        // PostgreSQL fast shutdown can hang on sessions whose client link is frozen)
        primary.kill();
        for (FleetInstance i : instances) {
            i.writeUntilAccepted(10_000 + id++, Duration.ofSeconds(40));
        }
        Thread.sleep(2000);
        assertThat(instances.stream().mapToLong(i -> i.eventsOf(FailoverCompletedEvent.class).size()).sum())
                .as("promotions after the primary died").isEqualTo(1);
        primary.restart();
        long onOld = FailoverFixture.count(primary.superuserDataSource(), "SELECT count(*) FROM writes");
        for (int round = 0; round < 10; round++) {
            for (FleetInstance i : instances) {
                i.write(20_000 + id++);
            }
            Thread.sleep(50);
        }
        assertThat(FailoverFixture.count(primary.superuserDataSource(), "SELECT count(*) FROM writes"))
                .as("rows on the old primary after the promotion").isEqualTo(onOld);
        assertThat(FailoverFixture.count(standby.superuserDataSource(), "SELECT count(*) FROM writes WHERE id >= 20000"))
                .isEqualTo(30);
    }
}
