package io.regionrouter.jdbc.failover.internal;

import io.regionrouter.core.HealthProbe;
import io.regionrouter.jdbc.failover.PgEndpoint;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Probes a server with {@code SELECT 1} on one administrative connection that it keeps, opening a
 * new one after a failure. Only "could not reach" and "did not answer" fail the probe (see
 * {@link Answers}): a server that answers with an SQL error is up. Probes of one instance are
 * serialized.
 */
public final class PrimaryProbe implements HealthProbe, AutoCloseable {

    private final PgAdmin admin;
    private final PgEndpoint endpoint;
    private Connection connection;

    /**
     * Creates the probe.
     *
     * @param admin opens the administrative connections
     * @param endpoint the server
     */
    public PrimaryProbe(PgAdmin admin, PgEndpoint endpoint) {
        this.admin = admin;
        this.endpoint = endpoint;
    }

    @Override
    public synchronized void check(Duration timeout) throws Exception {
        try {
            if (connection == null || connection.isClosed()) {
                connection = admin.dataSource(endpoint).getConnection();
            }
            long millis = Math.max(1, timeout.toMillis());
            // the socket read is what must give up in time; the server-side query timeout only rounds to seconds
            connection.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE, millis));
            try (Statement s = connection.createStatement()) {
                s.setQueryTimeout((int) Math.max(1, (millis + 999) / 1000));
                s.execute("SELECT 1");
            }
        } catch (SQLException e) {
            closeQuietly();
            if (Answers.isUnreachable(e)) {
                throw e;
            }
        }
    }

    private void closeQuietly() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the connection is being dropped because it failed already
            }
            connection = null;
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }
}
