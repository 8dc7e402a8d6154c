package com.example;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.PostgresServer;
import io.regionrouter.testkit.ServerKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a project that only declares the testkit's coordinates gets: PostgreSQL 17 and standbys. */
class FromCoordinatesIT {

    @RegisterExtension
    static final LocalRegions REGIONS = LocalRegions.builder()
            .region("us", ServerKind.POSTGRES)
            .build();

    @Test
    void postgres_isVersion17() throws SQLException {
        String version = query(REGIONS.region("us").postgres(), "SHOW server_version");

        assertTrue(version.startsWith("17."), () -> "server_version is " + version + ", expected 17.x");
    }

    @Test
    void createStandby_startsAServerInRecovery() throws SQLException {
        PostgresServer standby = REGIONS.region("us").postgres().createStandby();

        assertTrue(standby.isStandby(), "isStandby()");
        assertTrue(Boolean.parseBoolean(query(standby, "SELECT pg_is_in_recovery()::text")),
                "pg_is_in_recovery() on the standby");
    }

    private static String query(PostgresServer server, String sql) throws SQLException {
        try (Connection c = server.superuserDataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
