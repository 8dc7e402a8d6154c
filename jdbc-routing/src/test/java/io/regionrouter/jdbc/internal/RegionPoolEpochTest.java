package io.regionrouter.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.HealthConfig;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.Store;
import io.regionrouter.jdbc.StubDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The hook a failover uses: a region's pool switches to another data source under a higher epoch. */
class RegionPoolEpochTest {

    private static final Region US = Region.of("us");

    private final RegionHealth health = RegionHealth.builder().config(HealthConfig.builder().interval(Duration.ofHours(1))
            .timeout(Duration.ofHours(1)).build()).build();
    private final StubDataSource oldPrimary = new StubDataSource("old");
    private final StubDataSource promoted = new StubDataSource("promoted");
    private final RegionPool pool = new RegionPool(US, oldPrimary, health.store(US, Store.POSTGRES));

    @AfterEach
    void close() {
        health.close();
    }

    @Test
    void switchTo_raisesTheEpoch_andHandsOutOnlyTheNewDataSourcesConnections() throws SQLException {
        assertThat(pool.epoch()).isZero();
        assertThat(pool.switchTo(promoted, 1)).isSameAs(oldPrimary);
        assertThat(pool.epoch()).isEqualTo(1);
        assertThat(pool.dataSource()).isSameAs(promoted);
        try (Connection c = pool.getConnection()) {
            assertThat(c.getCatalog()).isEqualTo("promoted");
        }
        assertThat(oldPrimary.handedOut).hasValue(0);
    }

    @Test
    void switchTo_refusesAnEpochThatIsNotHigher() {
        pool.switchTo(promoted, 2);
        assertThatThrownBy(() -> pool.switchTo(oldPrimary, 2)).isInstanceOf(IllegalStateException.class)
                .hasMessage("region us: epoch must be higher than the current epoch 2, but was 2");
        assertThatThrownBy(() -> pool.switchTo(oldPrimary, 1)).isInstanceOf(IllegalStateException.class);
        assertThat(pool.dataSource()).isSameAs(promoted);
    }

    @Test
    void aConnectionTakenWhileTheRegionSwitches_isClosedAndReplacedByOneOfTheNewEpoch() throws SQLException {
        oldPrimary.duringCheckout = () -> pool.switchTo(promoted, 1);
        try (Connection c = pool.getConnection()) {
            assertThat(c.getCatalog()).isEqualTo("promoted");
        }
        assertThat(oldPrimary.handedOut).hasValue(1);
        assertThat(oldPrimary.closed).hasValue(1);
    }

    @Test
    void aCheckoutThatFailsOnTheOldPrimaryWhileTheRegionSwitches_isRetriedOnTheNewOne() throws SQLException {
        oldPrimary.failure = new SQLTransientConnectionException("dead", "08001");
        oldPrimary.duringCheckout = () -> pool.switchTo(promoted, 1);
        try (Connection c = pool.getConnection()) {
            assertThat(c.getCatalog()).isEqualTo("promoted");
        }
    }
}
