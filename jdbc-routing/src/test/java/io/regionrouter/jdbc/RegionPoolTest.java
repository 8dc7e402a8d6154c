package io.regionrouter.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.HealthConfig;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionState;
import io.regionrouter.core.Store;
import io.regionrouter.jdbc.internal.RegionPool;
import java.net.ConnectException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RegionPoolTest {

    private static final Region EU = Region.of("eu");

    /**
     * The probe never finishes and the next tick is an hour away, so only the pool's reports move the
     * state: two calls are enough to judge, and 60 % of them must have failed.
     */
    private final RegionHealth health = RegionHealth.builder().config(HealthConfig.builder().interval(Duration.ofHours(1))
            .timeout(Duration.ofHours(1)).minimumCalls(2).failureRateThreshold(60).build()).build();
    private final CountDownLatch never = new CountDownLatch(1);
    private final StubDataSource stub = new StubDataSource("eu");
    private final RegionPool pool = new RegionPool(EU, stub, health.store(EU, Store.POSTGRES));

    RegionPoolTest() {
        health.register(EU, Store.POSTGRES, timeout -> never.await());
    }

    @AfterEach
    void close() {
        never.countDown();
        health.close();
    }

    private static SQLException refused() {
        return new SQLTransientConnectionException("region-router-eu - Connection is not available, request timed out",
                "08001", new SQLException("Connection to 127.0.0.1:5432 refused", "08001", new ConnectException("refused")));
    }

    @Test
    void unreachableDatabase_isReportedAsAFailureOfTheStore() {
        stub.failure = refused();
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(pool::getConnection).isSameAs(stub.failure);
        }
        assertThat(health.state(EU, Store.POSTGRES)).isEqualTo(RegionState.DOWN);
        assertThat(health.state(EU, Store.REDIS)).as("another store of the region").isEqualTo(RegionState.UP);
    }

    @Test
    void connectionsOnWhichTheServerAnswered_countAsCallsThatReachedIt() throws SQLException {
        for (int i = 0; i < 3; i++) {
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                assertThat(c.getCatalog()).isEqualTo("eu");
                s.execute("SELECT 1");
            }
        }
        stub.failure = refused();
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(pool::getConnection).isSameAs(stub.failure);
        }
        assertThat(health.state(EU, Store.POSTGRES)).as("2 failures of 5 calls stay under 60 %").isEqualTo(RegionState.UP);
    }

    @Test
    void connectionsThatRanNoStatement_countAsNothing() throws SQLException {
        for (int i = 0; i < 3; i++) {
            pool.getConnection().close();
        }
        stub.failure = refused();
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(pool::getConnection).isSameAs(stub.failure);
        }
        assertThat(health.state(EU, Store.POSTGRES)).as("2 failures of 2 calls: a checkout alone never reached the server")
                .isEqualTo(RegionState.DOWN);
    }

    @Test
    void failuresOfAServerThatAnswered_andAnExhaustedPool_doNotCountAgainstTheRegion() {
        SQLException[] answered = {
            new SQLSyntaxErrorException("bad", "42601"),
            new SQLException("pool has been closed"),
            new SQLTransientConnectionException("region-router-eu - Connection is not available, request timed out after 2000ms"),
            new SQLTransientConnectionException("timed out", "28P01", new SQLException("password authentication failed", "28P01")),
            new SQLException("FATAL: sorry, too many clients already", "53300"),
            new SQLException("FATAL: the database system is starting up", "57P03"),
        };
        for (SQLException e : answered) {
            stub.failure = e;
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(pool::getConnection).isSameAs(e);
            }
        }
        assertThat(health.state(EU, Store.POSTGRES)).isEqualTo(RegionState.UP);
    }
}
