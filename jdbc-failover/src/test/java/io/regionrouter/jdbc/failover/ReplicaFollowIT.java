package io.regionrouter.jdbc.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.StaticRegionDirectory;
import io.regionrouter.core.Topology;
import io.regionrouter.jdbc.RegionalDataSources;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.PostgresServer;
import io.regionrouter.testkit.ServerKind;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Replicas follow: a read replica that still streams from the old primary after a promotion is not
 * read, although its lag to that old primary is 0; read-only work goes to the new primary instead.
 */
class ReplicaFollowIT {

    @RegisterExtension
    static final LocalRegions REGIONS = LocalRegions.builder().region("us", ServerKind.POSTGRES).build();

    static final Region US = FailoverFixture.US;

    @Test
    void replicaOfTheOldPrimary_isNotRead_afterAPromotion() throws Exception {
        PostgresServer primary = REGIONS.region("us").postgres();
        PostgresServer standby = primary.createStandby();
        PostgresServer replica = primary.createStandby();
        FailoverFixture.createTable(primary, standby);
        FailoverFixture.createTable(primary, replica);
        Topology topology = Topology.builder().regions("us").local("us").primary("us").build();
        try (RegionHealth health = RegionHealth.builder().build()) {
            RegionRouter router = RegionRouter.builder(topology).directory(StaticRegionDirectory.builder().user("bob", US).build())
                    .health(health).build();
            try (RegionalDataSources pg = RegionalDataSources.builder(router).region(US, FailoverFixture.appPool(primary))
                    .replica(US, "us-replica", FailoverFixture.appPool(replica)).build();
                    FailoverManager manager = FailoverManager.builder(pg)
                            .group(FailoverFixture.group(primary, standby, US, Durability.ASYNCHRONOUS).toBuilder()
                                    .replica(FailoverFixture.endpoint("us-replica", US, replica)).build())
                            .build()) {
                await(() -> pg.isReplicaUsable(US, "us-replica"), "the replica to be usable before the promotion");
                assertThat(readOnlyPort(pg)).as("read-only work before the promotion").isEqualTo(replica.directPort());

                FailoverFixture.execute(standby.superuserDataSource(), "SELECT pg_promote(true, 60)");
                await(() -> manager.primaryServer(US).filter("us-standby"::equals).isPresent(), "the region to follow the standby");
                await(() -> !pg.isReplicaUsable(US, "us-replica"), "the replica of the old primary to be held");
                assertThat(FailoverFixture.inRecovery(replica)).as("the replica still streams from the old primary").isTrue();
                assertThat(readOnlyPort(pg)).as("read-only work after the promotion").isEqualTo(standby.directPort());
            }
        }
    }

    private static int readOnlyPort(RegionalDataSources pg) throws Exception {
        try (Connection c = pg.forUser("bob").getConnection()) {
            c.setReadOnly(true);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT inet_server_port()")) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
