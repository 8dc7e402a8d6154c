package io.regionrouter.jdbc;

import static io.regionrouter.jdbc.PgFixture.EU;
import static io.regionrouter.jdbc.PgFixture.US;
import static io.regionrouter.jdbc.PgFixture.boundRegion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.Access;
import io.regionrouter.core.RegionContext;
import io.regionrouter.core.RegionState;
import io.regionrouter.core.RegionUnavailableException;
import io.regionrouter.core.ResidencyViolationException;
import io.regionrouter.core.StaticRegionDirectory;
import io.regionrouter.core.Topology;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.ServerKind;
import java.sql.Connection;
import java.sql.SQLTransientException;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * eu's rows may be held in us (as the replication plan's read-only copy), but us may not take eu's
 * writes: nothing is declared multi-writer. With eu down, reads of an eu user fall back to us and
 * writes are refused, because a write in us would stop the subscription and never reach eu.
 */
class WriteFallbackIT {

    @RegisterExtension
    static final LocalRegions REGIONS = LocalRegions.builder().region("us", ServerKind.POSTGRES)
            .region("eu", ServerKind.POSTGRES).build();

    private static final Topology TOPOLOGY = Topology.builder().regions("us", "eu").local("eu").primary("us")
            .residency("eu", "us").build();
    private static PgFixture fixture;

    @BeforeAll
    static void start() {
        fixture = new PgFixture(REGIONS, TOPOLOGY, StaticRegionDirectory.builder().user("alice", EU).build(), b -> { });
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void regulatedWriteWithItsHomeDown_isRefusedTowardTheRegionHoldingItsCopy_whileAReadFallsBackThere() throws Exception {
        DataSource routing = fixture.pg.routingDataSource();
        fixture.letProbesConnect();
        REGIONS.region("eu").partition();
        try {
            fixture.awaitState(EU, RegionState.DOWN, Duration.ofSeconds(15));
            int usConnectionsBefore = fixture.pg.pool(US).getHikariPoolMXBean().getActiveConnections();

            try (RegionContext.Scope s = RegionContext.forUser("alice").open()) {
                assertThatThrownBy(routing::getConnection).isInstanceOf(RegionUnavailableSQLException.class)
                        .isInstanceOf(SQLTransientException.class)
                        .satisfies(e -> assertThat(((RegionUnavailableException) e.getCause()).tried()).containsExactly(EU));
            }
            assertThatThrownBy(() -> fixture.pg.forUser("alice").getConnection())
                    .isInstanceOf(RegionUnavailableSQLException.class);
            try (RegionContext.Scope s = RegionContext.of("alice", US).open()) {
                assertThatThrownBy(routing::getConnection).as("naming the copy's region explicitly does not make it writable")
                        .isInstanceOf(ResidencyViolationSQLException.class).hasCauseInstanceOf(ResidencyViolationException.class);
            }
            assertThat(fixture.pg.pool(US).getHikariPoolMXBean().getActiveConnections()).isEqualTo(usConnectionsBefore);

            try (RegionContext.Scope s = RegionContext.forUser("alice").withAccess(Access.READ).open();
                    Connection c = routing.getConnection()) {
                assertThat(boundRegion(c)).as("a read falls back within the allowed set").isEqualTo("us");
            }
        } finally {
            REGIONS.region("eu").heal();
        }
        fixture.awaitState(EU, RegionState.UP, Duration.ofSeconds(15));
        try (RegionContext.Scope s = RegionContext.forUser("alice").open(); Connection c = routing.getConnection()) {
            assertThat(boundRegion(c)).isEqualTo("eu");
        }
    }
}
