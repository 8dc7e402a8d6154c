package io.regionrouter.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.HealthConfig;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionState;
import io.regionrouter.core.Store;
import io.regionrouter.jdbc.internal.RegionPool;
import io.regionrouter.jdbc.internal.RoutedConnection;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

/** The connection the routing data sources hand out: what a lost answer means, and what it tells the store's health. */
class RoutedConnectionTest {

    private static final Region EU = Region.of("eu");
    private static final PSQLException READ_TIMED_OUT = new PSQLException("An I/O error occurred while sending to the backend.",
            PSQLState.CONNECTION_FAILURE, new SocketTimeoutException("Read timed out"));

    /** Probes never finish; one real call is enough to judge, and 60 % of them must have failed. */
    private final RegionHealth health = RegionHealth.builder().config(HealthConfig.builder().interval(Duration.ofHours(1))
            .timeout(Duration.ofHours(1)).minimumCalls(1).failureRateThreshold(60).build()).build();
    private final CountDownLatch never = new CountDownLatch(1);
    private final StubDataSource stub = new StubDataSource("eu");
    private final RegionPool pool = new RegionPool(EU, stub, health.store(EU, Store.POSTGRES));

    RoutedConnectionTest() {
        health.register(EU, Store.POSTGRES, timeout -> never.await());
    }

    @AfterEach
    void close() {
        never.countDown();
        health.close();
    }

    @Test
    void autoCommitStatementWhoseAnswerIsLost_saysItsOutcomeIsUnknown_andTheRegionUnreachable() throws SQLException {
        stub.executionFailure = READ_TIMED_OUT;
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (1)")) {
            assertThatThrownBy(ps::executeUpdate).isInstanceOf(OutcomeUnknownSQLException.class)
                    .hasCause(READ_TIMED_OUT).hasMessageContaining("may have been applied")
                    .hasMessageContaining("an INSERT statement").hasMessageNotContaining("VALUES (1)")
                    .satisfies(e -> assertThat(((OutcomeUnknownSQLException) e).getSQLState()).isEqualTo("08007"));
        }
        assertThat(health.state(EU, Store.POSTGRES)).isEqualTo(RegionState.DOWN);
    }

    @Test
    void statementInsideATransactionWhoseAnswerIsLost_throwsTheDriversException_forNothingCanCommitIt() throws SQLException {
        stub.executionFailure = READ_TIMED_OUT;
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            assertThatThrownBy(() -> s.executeUpdate("INSERT INTO t VALUES (1)")).isSameAs(READ_TIMED_OUT);
            assertThatThrownBy(() -> s.execute("  commit")).as("a COMMIT statement commits").isInstanceOf(OutcomeUnknownSQLException.class);
            assertThatThrownBy(c::commit).isInstanceOf(OutcomeUnknownSQLException.class).hasMessageStartingWith("the commit");
            assertThatThrownBy(() -> c.setAutoCommit(true)).as("turning auto-commit on commits")
                    .isInstanceOf(OutcomeUnknownSQLException.class);
        }
    }

    @Test
    void sqlErrors_areTheDriversOwn_andCountAsAnswers() throws SQLException {
        PSQLException syntax = new PSQLException("syntax error at or near \"SELEC\"", PSQLState.SYNTAX_ERROR);
        stub.executionFailure = syntax;
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("SELEC 1")).isSameAs(syntax);
        }
        health.recordFailure(EU, Store.POSTGRES, READ_TIMED_OUT);
        assertThat(health.state(EU, Store.POSTGRES)).as("1 failure of 2 calls stays under 60 %").isEqualTo(RegionState.UP);
    }

    @Test
    void wrapperContract_statementsLeadBackToTheRoutedConnection_closeIsIdempotent() throws SQLException {
        Connection c = pool.getConnection();
        Statement s = c.createStatement();
        assertThat(s.getConnection()).isSameAs(c);
        assertThat(c.prepareStatement("SELECT 1").getConnection()).isSameAs(c);
        assertThat(c.unwrap(RoutedConnection.class)).isSameAs(c);
        assertThat(c.unwrap(Connection.class)).isSameAs(c);
        assertThat(c.isWrapperFor(RoutedConnection.class)).isTrue();
        assertThat(((RoutedConnection) c).region()).isEqualTo(EU);
        assertThat(c.toString()).contains("eu");
        c.close();
        c.close();
        assertThat(c.isClosed()).isTrue();
        assertThat(stub.closed).hasValue(1);
    }
}
