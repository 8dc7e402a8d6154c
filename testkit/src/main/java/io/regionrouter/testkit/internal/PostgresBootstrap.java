package io.regionrouter.testkit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Turns a fresh {@code initdb} cluster (trust authentication) into the testkit's shape: passwords
 * for the superuser, the application role, and SCRAM authentication over TCP. Stateless.
 */
public final class PostgresBootstrap {

    /** The superuser that {@code initdb} creates. */
    public static final String SUPER_USER = "postgres";

    /** The application role. */
    public static final String APP_USER = "app";

    private static final String HBA = String.join("\n",
            "# written by the region-router testkit: passwords over TCP on 127.0.0.1 only",
            "host    all          all  127.0.0.1/32  scram-sha-256",
            "host    replication  all  127.0.0.1/32  scram-sha-256",
            "");

    private PostgresBootstrap() {
    }

    /**
     * Creates the roles and switches authentication to passwords.
     *
     * @param dataDir the data directory, for {@code pg_hba.conf}
     * @param port the server's own port
     * @param superPassword the superuser's new password
     * @param appPassword the application role's password
     */
    public static void run(Path dataDir, int port, String superPassword, String appPassword) {
        // still trust authentication here: initdb ran with -A trust
        try (Connection c = connect(port, SUPER_USER, null); Statement s = c.createStatement()) {
            s.execute("ALTER ROLE " + SUPER_USER + " PASSWORD '" + superPassword + "'");
            s.execute("CREATE ROLE " + APP_USER + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION"
                    + " NOBYPASSRLS PASSWORD '" + appPassword + "'");
            s.execute("ALTER DEFAULT PRIVILEGES FOR ROLE " + SUPER_USER
                    + " IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO " + APP_USER);
            s.execute("ALTER DEFAULT PRIVILEGES FOR ROLE " + SUPER_USER
                    + " IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO " + APP_USER);
            Files.writeString(dataDir.resolve("pg_hba.conf"), HBA, StandardCharsets.US_ASCII);
            s.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new IllegalStateException("could not set up roles on PostgreSQL port " + port, e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write pg_hba.conf in " + dataDir, e);
        }
    }

    /**
     * Opens a connection to {@code 127.0.0.1:port/postgres}.
     *
     * @param port the port
     * @param user the role
     * @param password the password, or {@code null}
     * @return the connection
     * @throws SQLException if the connection fails
     */
    public static Connection connect(int port, String user, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("connectTimeout", "10");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", p);
    }
}
