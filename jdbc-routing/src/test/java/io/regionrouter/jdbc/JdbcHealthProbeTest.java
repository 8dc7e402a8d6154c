package io.regionrouter.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.Region;
import io.regionrouter.jdbc.internal.JdbcHealthProbe;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class JdbcHealthProbeTest {

    /** Port 1 on localhost refuses connections at once. */
    private static final String REFUSING = "jdbc:postgresql://127.0.0.1:1/app?password=hidden";

    private static Properties credentials() {
        Properties p = new Properties();
        p.setProperty("user", "app");
        p.setProperty("password", "pw-secret");
        return p;
    }

    @Test
    void check_againstAnUnreachableDatabase_failsWithTheDriversException() {
        try (JdbcHealthProbe probe = new JdbcHealthProbe(Region.of("eu"), REFUSING, credentials())) {
            assertThatThrownBy(() -> probe.check(Duration.ofMillis(300))).isInstanceOf(SQLException.class)
                    .hasMessageNotContaining("pw-secret");
        }
    }

    @Test
    void check_afterClose_failsSoAClosedRegionNeverLooksHealthy() {
        JdbcHealthProbe probe = new JdbcHealthProbe(Region.of("eu"), REFUSING, credentials());
        probe.close();
        assertThatThrownBy(() -> probe.check(Duration.ofMillis(300))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("region eu");
    }

    @Test
    void toString_masksTheUrlPassword() {
        try (JdbcHealthProbe probe = new JdbcHealthProbe(Region.of("eu"), REFUSING, credentials())) {
            assertThat(probe.toString()).contains("eu").doesNotContain("hidden").doesNotContain("pw-secret");
        }
    }
}
