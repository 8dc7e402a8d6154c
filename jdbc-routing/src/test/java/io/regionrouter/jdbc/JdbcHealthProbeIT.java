package io.regionrouter.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.regionrouter.core.HealthConfig;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionState;
import io.regionrouter.core.Store;
import io.regionrouter.jdbc.internal.JdbcHealthProbe;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.PostgresServer;
import io.regionrouter.testkit.ServerKind;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The probe against a real PostgreSQL that is far away: a login takes longer than one probe may. */
class JdbcHealthProbeIT {

    @RegisterExtension
    static final LocalRegions REGIONS = LocalRegions.builder().region("us", ServerKind.POSTGRES).build();

    /**
     * Regression: a login over a 40 ms one-way link takes about five round trips (~400 ms), as long
     * as the default probe timeout. When the connect ran inside the probe's budget it was cut off
     * every time, so a healthy far region never became UP again.
     */
    @Test
    void farRegion_probeSucceedsOnceTheBackgroundConnectFinishes_evenThoughLoginTakesLongerThanOneProbe()
            throws Exception {
        PostgresServer us = REGIONS.region("us").postgres();
        us.delay(Duration.ofMillis(60));
        Properties credentials = new Properties();
        credentials.setProperty("user", us.appUser());
        credentials.setProperty("password", us.appPassword());
        Duration probeTimeout = Duration.ofMillis(300);
        try (JdbcHealthProbe probe = new JdbcHealthProbe(Region.of("us"), us.jdbcUrl(), credentials)) {
            int failuresBeforeSuccess = 0;
            boolean succeeded = false;
            for (int attempt = 0; attempt < 20 && !succeeded; attempt++) { // at most ~6 s of probing
                try {
                    probe.check(probeTimeout);
                    succeeded = true;
                } catch (java.sql.SQLException e) {
                    failuresBeforeSuccess++;
                }
            }
            assertThat(succeeded).as("a healthy far region must pass its probe eventually").isTrue();
            assertThat(failuresBeforeSuccess).as("the first checks fail while the login is still going on")
                    .isGreaterThanOrEqualTo(1);
            probe.check(probeTimeout); // the kept connection answers within one probe: one round trip
        } finally {
            us.delay(Duration.ZERO);
        }
    }

    @Test
    void farRegion_underRegionHealth_comesBackUp_althoughEveryLoginOutlastsTheProbeTimeout() throws Exception {
        PostgresServer us = REGIONS.region("us").postgres();
        us.delay(Duration.ofMillis(60));
        Properties credentials = new Properties();
        credentials.setProperty("user", us.appUser());
        credentials.setProperty("password", us.appPassword());
        HealthConfig config = HealthConfig.builder().interval(Duration.ofMillis(300)).timeout(Duration.ofMillis(300))
                .failureThreshold(1).successThreshold(1).build();
        try (RegionHealth health = RegionHealth.builder().config(config).build();
                JdbcHealthProbe probe = new JdbcHealthProbe(Region.of("us"), us.jdbcUrl(), credentials)) {
            health.register(Region.of("us"), Store.POSTGRES, probe);
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (health.state(Region.of("us"), Store.POSTGRES) != RegionState.DOWN && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(health.state(Region.of("us"), Store.POSTGRES)).as("the first probe fails while the login is in flight")
                    .isEqualTo(RegionState.DOWN);
            while (health.state(Region.of("us"), Store.POSTGRES) != RegionState.UP && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(health.state(Region.of("us"), Store.POSTGRES)).as("a healthy far region must come back UP").isEqualTo(RegionState.UP);
        } finally {
            us.delay(Duration.ZERO);
        }
    }
}
