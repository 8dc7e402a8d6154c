package io.regionrouter.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.StaticRegionDirectory;
import io.regionrouter.core.Topology;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.PostgresServer;
import io.regionrouter.testkit.ServerKind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pools require TLS verified against the host name unless told otherwise: the testkit's PostgreSQL
 * offers no TLS, so a pool that was not told fails at startup, and one that opted into plaintext
 * starts and says so at WARN, naming the endpoint but never the password.
 */
class TlsDefaultIT {

    @RegisterExtension
    static final LocalRegions REGIONS = LocalRegions.builder().region("eu", ServerKind.POSTGRES).build();

    private static final Topology TOPOLOGY = Topology.builder().regions("eu").local("eu").primary("eu").build();

    private static RegionRouter router(RegionHealth health) {
        return RegionRouter.builder(TOPOLOGY).directory(StaticRegionDirectory.builder().build()).health(health).build();
    }

    @Test
    void aPoolThatWasNotToldOtherwise_refusesAServerWithoutTls_atStartup() {
        PostgresServer server = REGIONS.region("eu").postgres();
        RegionPoolConfig config = RegionPoolConfig.builder().jdbcUrl(server.jdbcUrl()).username(server.appUser())
                .password(server.appPassword()).maximumPoolSize(1).build();
        try (RegionHealth health = RegionHealth.builder().build()) {
            assertThatThrownBy(() -> RegionalDataSources.builder(router(health)).region("eu", config).build())
                    .hasMessageContaining("eu")
                    .satisfies(e -> assertThat(chain(e)).doesNotContain(server.appPassword()));
        }
    }

    @Test
    void aPoolThatOptedIntoPlaintext_startsAndWarnsNamingTheEndpointOnly() throws Exception {
        PostgresServer server = REGIONS.region("eu").postgres();
        RegionPoolConfig config = RegionPoolConfig.builder().allowPlaintext(true).jdbcUrl(server.jdbcUrl())
                .username(server.appUser()).password(server.appPassword()).maximumPoolSize(1).build();
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (RegionHealth health = RegionHealth.builder().build()) {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try (RegionalDataSources pg = RegionalDataSources.builder(router(health)).region("eu", config).build()) {
                try (var c = pg.pool(io.regionrouter.core.Region.of("eu")).getConnection()) {
                    assertThat(c.isValid(2)).isTrue();
                }
            } finally {
                System.setErr(original);
            }
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("WARN").contains("do not require TLS verified against the host name")
                .contains("127.0.0.1").doesNotContain(server.appPassword());
    }

    private static String chain(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t).append('\n');
        }
        return sb.toString();
    }
}
