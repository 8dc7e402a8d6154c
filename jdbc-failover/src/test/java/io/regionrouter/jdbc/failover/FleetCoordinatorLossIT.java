package io.regionrouter.jdbc.failover;

import static io.regionrouter.jdbc.failover.FleetInstance.US;
import static org.assertj.core.api.Assertions.assertThat;

import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.PostgresServer;
import io.regionrouter.testkit.ServerKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ZooKeeper loses its quorum: routing carries on, and a primary that dies meanwhile is not promoted
 * by anyone (no lease can be proven). Once the quorum is back, the fleet promotes once.
 */
class FleetCoordinatorLossIT {

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
    void quorumLost_routingCarriesOn_aDeadPrimaryIsNotPromoted_untilTheQuorumIsBack() throws Exception {
        Thread.sleep(FleetInstance.SESSION.toMillis() + 500);
        List<InstanceSpec> servers = new ArrayList<>(zookeeper.getInstances());
        zookeeper.killServer(servers.get(0));
        zookeeper.killServer(servers.get(1));
        long id = 1;
        long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (System.nanoTime() < end) {
            for (FleetInstance i : instances) {
                i.write(id++); // routing carries on without the coordinator
            }
            Thread.sleep(50);
        }
        for (FleetInstance i : instances) {
            assertThat(i.coordinator.holdsLease(US)).as(i.name + " holds no lease without a quorum").isFalse();
        }

        List<Long> reportsBefore = instances.stream().map(i -> i.counted.unreachableReports.sum()).toList();
        primary.kill();
        // every instance has seen the primary DOWN and asked the fleet at least twice whether it may promote
        awaitUnreachableReports(reportsBefore, 3, Duration.ofSeconds(30));
        assertThat(instances.stream().mapToLong(i -> i.eventsOf(FailoverCompletedEvent.class).size()).sum())
                .as("promotions without a quorum").isZero();
        assertThat(FailoverFixture.inRecovery(standby)).isTrue();

        zookeeper.restartServer(servers.get(0));
        zookeeper.restartServer(servers.get(1));
        for (FleetInstance i : instances) {
            i.writeUntilAccepted(10_000 + id++, Duration.ofSeconds(60));
        }
        Thread.sleep(2000);
        assertThat(instances.stream().mapToLong(i -> i.eventsOf(FailoverCompletedEvent.class).size()).sum())
                .as("promotions once the quorum is back").isEqualTo(1);
        for (FleetInstance i : instances) {
            assertThat(i.manager.primaryServer(US)).as(i.name).contains("us-standby");
        }
    }

    /** Waits (bounded) until each instance has reported the primary unreachable {@code more} times since {@code before}. */
    private static void awaitUnreachableReports(List<Long> before, int more, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            List<Long> now = instances.stream().map(i -> i.counted.unreachableReports.sum()).toList();
            boolean all = true;
            for (int n = 0; n < now.size(); n++) {
                all &= now.get(n) >= before.get(n) + more;
            }
            if (all) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not every instance reported the primary unreachable " + more
                        + " more times within " + max + ": before " + before + ", now " + now);
            }
            Thread.sleep(50);
        }
    }
}
