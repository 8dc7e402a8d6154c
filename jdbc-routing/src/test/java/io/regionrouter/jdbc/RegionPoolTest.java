package io.regionrouter.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.HealthConfig;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionState;
import io.regionrouter.jdbc.internal.RegionPool;
import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RegionPoolTest {

    private static final Region EU = Region.of("eu");

    /** The probe never finishes and the next tick is an hour away, so only the pool's reports move the state. */
    private final RegionHealth health = RegionHealth.builder().config(HealthConfig.builder().interval(Duration.ofHours(1))
            .timeout(Duration.ofHours(1)).failureThreshold(2).successThreshold(1).build()).build();
    private final CountDownLatch never = new CountDownLatch(1);
    private final StubDataSource stub = new StubDataSource("eu");
    private final RegionPool pool = new RegionPool(EU, stub, health);

    RegionPoolTest() {
        health.register(EU, timeout -> never.await());
    }

    @AfterEach
    void close() {
        never.countDown();
        health.close();
    }

    @Test
    void connectionFailures_markTheRegionDown_andTheNextSuccessReportsRecovery() throws SQLException {
        stub.failure = new SQLTransientConnectionException("region-router-eu - Connection is not available", "08001");
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(pool::getConnection).isSameAs(stub.failure);
        }
        assertThat(health.state(EU)).isEqualTo(RegionState.DOWN);
        stub.failure = null;
        pool.getConnection().close();
        assertThat(health.state(EU)).isEqualTo(RegionState.UP);
    }

    @Test
    void failuresThatAreNotAboutTheConnection_doNotCountAgainstTheRegion() {
        stub.failure = new SQLSyntaxErrorException("bad", "42601");
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(pool::getConnection).isSameAs(stub.failure);
        }
        stub.failure = new SQLException("pool has been closed");
        assertThatThrownBy(pool::getConnection).isSameAs(stub.failure);
        assertThat(health.state(EU)).isEqualTo(RegionState.UP);
    }

    @Test
    void isConnectionFailure_recognisesConnectionClassStates() {
        assertThat(RegionPool.isConnectionFailure(new SQLException("x", "08006"))).isTrue();
        assertThat(RegionPool.isConnectionFailure(new SQLException("x", "57P01"))).isTrue();
        assertThat(RegionPool.isConnectionFailure(new SQLTransientConnectionException("timeout"))).isTrue();
        assertThat(RegionPool.isConnectionFailure(new SQLException("x", "23505"))).isFalse();
        assertThat(RegionPool.isConnectionFailure(new SQLException("x"))).isFalse();
    }
}
