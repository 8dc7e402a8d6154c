package io.regionrouter.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.StaticRegionDirectory;
import io.regionrouter.core.Topology;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.PostgresServer;
import io.regionrouter.testkit.ServerKind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With HikariCP (and region-router) logging at DEBUG, which prints the pool configuration with its
 * driver properties, no secret-named driver property reaches a log line: sslpassword, sslkey, a
 * token, the password.
 */
class SecretsInLogsIT {

    @RegisterExtension
    static final LocalRegions REGIONS = LocalRegions.builder().region("eu", ServerKind.POSTGRES).build();

    private static final String SSL_PASSWORD = "sslpw-9c2e-secret";
    private static final String TOKEN = "tok-51aa-secret";
    private static final String KEY = "/keys/k-7d3f-secret.pk8";

    @Test
    void debugLogging_printsNoSecretDriverProperty() throws Exception {
        PostgresServer server = REGIONS.region("eu").postgres();
        Topology topology = Topology.builder().regions("eu").local("eu").primary("eu").build();
        RegionRouter router = RegionRouter.builder(topology).directory(StaticRegionDirectory.builder().build())
                .health(RegionHealth.builder().build()).build();
        RegionPoolConfig config = RegionPoolConfig.builder().allowPlaintext(true).jdbcUrl(server.jdbcUrl()).username(server.appUser())
                .password(server.appPassword()).maximumPoolSize(1)
                .dataSourceProperty("sslpassword", SSL_PASSWORD)
                .dataSourceProperty("sslkey", KEY)
                .dataSourceProperty("apiToken", TOKEN).build();

        List<Logger> raised = new ArrayList<>();
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        String log;
        try {
            for (String name : List.of("com.zaxxer.hikari.HikariConfig", "com.zaxxer.hikari.HikariDataSource",
                    "com.zaxxer.hikari.pool.HikariPool", "com.zaxxer.hikari.pool.PoolBase",
                    "io.regionrouter.jdbc.RegionalDataSources")) {
                raised.add(setLevel(LoggerFactory.getLogger(name), 10)); // slf4j-simple's DEBUG
            }
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try (RegionalDataSources pg = RegionalDataSources.builder(router).region("eu", config).healthProbes(false)
                    .build(); Connection c = pg.pool(PgFixture.EU).getConnection()) {
                assertThat(c.isValid(1)).isTrue();
                LoggerFactory.getLogger(SecretsInLogsIT.class).info("config: {}", config);
            }
        } finally {
            System.setErr(original);
            for (Logger l : raised) {
                setLevel(l, 30);
            }
            log = captured.toString(StandardCharsets.UTF_8);
            original.print(log);
        }
        assertThat(log).as("HikariCP printed its configuration").contains("dataSourceProperties");
        assertThat(log).doesNotContain(SSL_PASSWORD).doesNotContain(TOKEN).doesNotContain(KEY)
                .doesNotContain(server.appPassword());
    }

    /** slf4j-simple fixes a logger's level when it is created; the tests' HikariCP loggers are at WARN. */
    private static Logger setLevel(Logger logger, int level) throws ReflectiveOperationException {
        Field f = logger.getClass().getDeclaredField("currentLogLevel");
        f.setAccessible(true);
        f.setInt(logger, level);
        return logger;
    }
}
