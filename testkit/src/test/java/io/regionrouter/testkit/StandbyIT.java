package io.regionrouter.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A streaming standby of a region's primary: it replicates, it can be faulted, it can be promoted. */
class StandbyIT {

    /**
     * How long a standby may take to replay a row. Generous: after a restart the WAL receiver may
     * wait out wal_retrieve_retry_interval (5 s) before it reconnects, and the build machine is slow.
     */
    private static final Duration CATCH_UP = Duration.ofSeconds(45);

    @RegisterExtension
    static final LocalRegions REGIONS = LocalRegions.builder()
            .region("us", ServerKind.POSTGRES)
            .region("eu", ServerKind.POSTGRES)
            .build();

    @Test
    void standby_streamsRowsFromThePrimaryAndCanBePromoted() throws Exception {
        PostgresServer primary = REGIONS.region("us").postgres();
        try (Connection c = Clients.superuser(primary); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE accounts (id int PRIMARY KEY, region text NOT NULL)");
            s.execute("INSERT INTO accounts VALUES (1, 'us')");
        }

        long t0 = System.nanoTime();
        PostgresServer standby = primary.createStandby("eu");
        System.out.printf("standby created and started in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        assertThat(standby.isStandby()).isTrue();
        assertThat(standby.region()).isEqualTo("eu");
        assertThat(REGIONS.region("eu").postgresStandbys()).containsExactly(standby);
        assertThat(standby.port()).isNotIn(primary.port(), primary.directPort());

        try (Connection c = Clients.superuser(primary); Statement s = c.createStatement()) {
            s.execute("INSERT INTO accounts VALUES (2, 'us')");
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
        assertThat(waitForRow(standby, 2)).as("row 2 replicated to the standby").isTrue();

        try (Connection c = Clients.app(standby); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
                rs.next();
                assertThat(rs.getBoolean(1)).isTrue();
            }
            assertThatThrownBy(() -> s.execute("INSERT INTO accounts VALUES (3, 'eu')"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("read-only");
        }

        try (Connection c = Clients.connect(standby.jdbcUrl(), standby.superUser(), standby.superPassword(), 70);
                Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT pg_promote(true, 60)")) {
                rs.next();
                assertThat(rs.getBoolean(1)).isTrue();
            }
        }
        assertThat(standby.isStandby()).isFalse();
        try (Connection c = Clients.app(standby); Statement s = c.createStatement()) {
            s.execute("INSERT INTO accounts VALUES (3, 'eu')");
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM accounts")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(3);
            }
        }
    }

    @Test
    void standby_hasWorkingFaultControls() throws Exception {
        PostgresServer primary = REGIONS.region("eu").postgres();
        PostgresServer standby = primary.createStandby();
        assertThat(standby.region()).isEqualTo("eu");
        try (Connection c = Clients.superuser(primary); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS marks (id int PRIMARY KEY)");
            s.execute("INSERT INTO marks VALUES (1)");
        }
        assertThat(waitForCount(standby, "marks", 1)).isTrue();

        // partitioning the primary's client proxy does not stop replication: it streams via the direct port
        primary.partition();
        try (Connection c = Clients.connect("jdbc:postgresql://127.0.0.1:" + primary.directPort() + "/postgres",
                primary.superUser(), primary.superPassword(), 2); Statement s = c.createStatement()) {
            s.execute("INSERT INTO marks VALUES (2)");
        }
        assertThat(waitForCount(standby, "marks", 2)).isTrue();
        primary.heal();

        try (Connection c = Clients.app(standby); Statement s = c.createStatement()) {
            standby.partition();
            assertThatThrownBy(() -> s.execute("SELECT 1")).isInstanceOf(SQLException.class)
                    .hasRootCauseInstanceOf(java.net.SocketTimeoutException.class);
            standby.heal();
        }

        standby.kill();
        assertThatThrownBy(() -> Clients.app(standby).close()).isInstanceOf(SQLException.class);
        try (Connection c = Clients.superuser(primary); Statement s = c.createStatement()) {
            s.execute("INSERT INTO marks VALUES (3)");
        }
        standby.restart();
        assertThat(standby.isStandby()).as("still a standby after restart").isTrue();
        assertThat(waitForCount(standby, "marks", 3)).as("catches up after restart").isTrue();
    }

    private static boolean waitForRow(PostgresServer pg, int id) throws InterruptedException {
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        while (System.nanoTime() < deadline) { // bounded by CATCH_UP
            try (Connection c = Clients.app(pg); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT 1 FROM accounts WHERE id = " + id)) {
                if (rs.next()) {
                    return true;
                }
            } catch (SQLException e) {
                // the standby may not have replayed the table yet
            }
            Thread.sleep(100);
        }
        return false;
    }

    private static boolean waitForCount(PostgresServer pg, String table, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        while (System.nanoTime() < deadline) { // bounded by CATCH_UP
            try (Connection c = Clients.app(pg); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
                rs.next();
                if (rs.getInt(1) == expected) {
                    return true;
                }
            } catch (SQLException e) {
                // not replayed yet, or still starting
            }
            Thread.sleep(100);
        }
        return false;
    }
}
