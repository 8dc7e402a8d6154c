package io.regionrouter.jdbc.internal;

import io.regionrouter.core.HealthProbe;
import io.regionrouter.core.Region;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes a region's database with {@code SELECT 1} on a connection of its own, opened through the
 * driver and never taken from the application's pool, so a pool that is exhausted under load does
 * not make a healthy region look dead, and a dead region does not take a pooled connection away.
 *
 * <p>The connection is kept between checks and replaced after any failure. Connecting is bounded by
 * the driver's connect and login timeouts, the query by the network timeout and the query timeout,
 * all derived from the timeout passed to {@link #check(Duration)} (the driver counts connect and
 * login timeouts in whole seconds, so they are rounded up). Checks of one probe are serialised.
 */
public final class JdbcHealthProbe implements HealthProbe, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcHealthProbe.class);
    private static final Executor DIRECT = Runnable::run;

    private final Region region;
    private final String jdbcUrl;
    private final Properties connectionProperties;
    private final Object lock = new Object();
    private volatile Connection connection;
    private volatile boolean closed;

    /**
     * Creates the probe.
     *
     * @param region the region, for messages
     * @param jdbcUrl the region's JDBC URL
     * @param connectionProperties user, password and driver properties; copied
     */
    public JdbcHealthProbe(Region region, String jdbcUrl, Properties connectionProperties) {
        this.region = Objects.requireNonNull(region, "region");
        this.jdbcUrl = Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        this.connectionProperties = new Properties();
        this.connectionProperties.putAll(connectionProperties);
        this.connectionProperties.setProperty("ApplicationName", "region-router-probe-" + region.id());
    }

    @Override
    public void check(Duration timeout) throws Exception {
        long millis = Math.max(1, timeout.toMillis());
        int seconds = (int) Math.max(1, (millis + 999) / 1000);
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("health probe of region " + region + " is closed");
            }
            Connection c = connection;
            try {
                if (c == null) {
                    c = open(seconds);
                    connection = c;
                }
                c.setNetworkTimeout(DIRECT, (int) Math.min(Integer.MAX_VALUE, millis));
                try (Statement statement = c.createStatement()) {
                    statement.setQueryTimeout(seconds);
                    try (ResultSet rs = statement.executeQuery("SELECT 1")) {
                        if (!rs.next() || rs.getInt(1) != 1) {
                            throw new SQLException("health probe of region " + region + ": SELECT 1 returned no 1");
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                connection = null;
                closeQuietly(c);
                throw e;
            }
        }
    }

    private Connection open(int seconds) throws SQLException {
        Properties props = new Properties();
        props.putAll(connectionProperties);
        props.setProperty("connectTimeout", Integer.toString(seconds));
        props.setProperty("loginTimeout", Integer.toString(seconds));
        props.setProperty("socketTimeout", Integer.toString(seconds));
        return DriverManager.getConnection(jdbcUrl, props);
    }

    /** The region this probe checks. */
    public Region region() {
        return region;
    }

    /** Closes the probe's connection; later checks fail. */
    @Override
    public void close() {
        closed = true;
        Connection c = connection;
        connection = null;
        closeQuietly(c);
    }

    private void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException e) {
            LOG.debug("health probe of region {}: closing its connection failed: {}", region, e.toString());
        }
    }

    @Override
    public String toString() {
        return "JdbcHealthProbe[" + region + ", " + Secrets.maskUrl(jdbcUrl) + "]";
    }
}
