package io.regionrouter.jdbc;

import static io.regionrouter.jdbc.PgFixture.EU;
import static io.regionrouter.jdbc.PgFixture.boundRegion;
import static org.assertj.core.api.Assertions.assertThat;

import io.regionrouter.core.RegionContext;
import io.regionrouter.core.StaticRegionDirectory;
import io.regionrouter.core.Topology;
import io.regionrouter.testkit.LocalRegions;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A borrower that changes its session's region setting never hands that session to the next borrower:
 * eu's pool holds one connection, the first borrower changes the setting through the routing data
 * source, and the next borrower is bound to eu again, on a fresh backend.
 */
class SessionSettingIT {

    @RegisterExtension
    static final LocalRegions REGIONS = LocalRegions.builder().region("us", io.regionrouter.testkit.ServerKind.POSTGRES)
            .region("eu", io.regionrouter.testkit.ServerKind.POSTGRES).build();

    private static final Topology TOPOLOGY = Topology.builder().regions("us", "eu").local("eu").primary("us").build();
    private static PgFixture fixture;
    private static DataSource routing;

    @BeforeAll
    static void start() {
        fixture = new PgFixture(REGIONS, TOPOLOGY, StaticRegionDirectory.builder().user("alice", EU).build(),
                PgFixture.FAST_HEALTH, (f, r) -> f.poolConfig(r, 1), b -> { });
        routing = fixture.pg.routingDataSource();
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    /** What a borrower may run to change its session: each must not reach the next borrower. */
    interface Change {
        void run(Connection c) throws SQLException;
    }

    static Stream<Arguments> changes() {
        return Stream.of(
                Arguments.of("SET", (Change) c -> exec(c, "SET app.user_region = 'us'")),
                Arguments.of("set session, lower case, after a comment",
                        (Change) c -> exec(c, "/* x */ set session app.user_region to 'us'")),
                Arguments.of("set_config in a prepared statement", (Change) c -> {
                    try (PreparedStatement ps = c.prepareStatement("SELECT set_config(?, ?, false)")) {
                        ps.setString(1, "app.user_region");
                        ps.setString(2, "us");
                        ps.executeQuery().close();
                    }
                }),
                Arguments.of("second statement of a batch string",
                        (Change) c -> exec(c, "SELECT 1; SET app.user_region = 'us'")),
                Arguments.of("addBatch", (Change) c -> {
                    try (Statement s = c.createStatement()) {
                        s.addBatch("SET app.user_region = 'us'");
                        s.executeBatch();
                    }
                }),
                Arguments.of("RESET", (Change) c -> exec(c, "RESET app.user_region")),
                Arguments.of("RESET ALL", (Change) c -> exec(c, "RESET ALL")),
                Arguments.of("DISCARD ALL", (Change) c -> exec(c, "DISCARD ALL")),
                Arguments.of("DO block", (Change) c -> exec(c,
                        "DO $$BEGIN EXECUTE 'SET app.user_region = ' || quote_literal('us'); END$$")),
                Arguments.of("prepareCall", (Change) c -> {
                    try (CallableStatement cs = c.prepareCall("{? = call set_config('app.user_region', 'us', false)}")) {
                        cs.registerOutParameter(1, java.sql.Types.VARCHAR);
                        cs.execute();
                    }
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changes")
    void nextBorrower_isBoundToEuOnAFreshBackend_afterTheSettingWasChanged(String name, Change change) throws SQLException {
        int firstPid;
        try (RegionContext.Scope s = RegionContext.forUser("alice").open(); Connection c = routing.getConnection()) {
            firstPid = pid(c);
            change.run(c);
            assertThat(boundRegion(c)).as("the change took effect for its own borrower").isNotEqualTo("eu");
        }
        try (RegionContext.Scope s = RegionContext.forUser("alice").open(); Connection c = routing.getConnection()) {
            assertThat(boundRegion(c)).isEqualTo("eu");
            assertThat(pid(c)).as("a fresh backend").isNotEqualTo(firstPid);
        }
    }

    @Test
    void readingTheSettingOrRunningQueries_keepsTheConnection() throws SQLException {
        int firstPid;
        try (RegionContext.Scope s = RegionContext.forUser("alice").open(); Connection c = routing.getConnection()) {
            firstPid = pid(c);
            assertThat(boundRegion(c)).isEqualTo("eu");
            exec(c, "SET LOCAL statement_timeout = '5s'"); // ends with its transaction
        }
        try (RegionContext.Scope s = RegionContext.forUser("alice").open(); Connection c = routing.getConnection()) {
            // checkout and close with no statement
        }
        try (RegionContext.Scope s = RegionContext.forUser("alice").open(); Connection c = routing.getConnection()) {
            assertThat(pid(c)).as("the same backend").isEqualTo(firstPid);
        }
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static int pid(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
