package io.regionrouter.jdbc.internal;

import io.regionrouter.core.HealthProbe;
import io.regionrouter.core.Region;
import io.regionrouter.core.support.Secrets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes a region's database with {@code SELECT 1} on a connection of its own, opened through the
 * driver and never taken from the application's pool, so a pool that is exhausted under load does
 * not make a healthy region look dead, and a dead region does not take a pooled connection away.
 *
 * <p>The connection is kept between checks and replaced after any failure. Opening it is not
 * bounded by the probe's timeout: a PostgreSQL login takes several round trips (TCP, SSL request,
 * SCRAM), which for a region 40 ms away one way is already about 400 ms, the default probe timeout.
 * So the connection is opened on a background thread with its own budget ({@value
 * #CONNECT_BUDGET_SECONDS} s connect and login timeouts); a check waits for it at most its own
 * timeout and fails while it is still connecting, and a later check picks up the finished
 * connection. The query itself is bounded by the network timeout and the query timeout derived from
 * the check's timeout. Checks of one probe are serialised, and at most one connect is in flight.
 */
public final class JdbcHealthProbe implements HealthProbe, AutoCloseable {

    /** Connect and login timeout of the probe's own connection, in seconds. */
    static final int CONNECT_BUDGET_SECONDS = 5;

    private static final Logger LOG = LoggerFactory.getLogger(JdbcHealthProbe.class);
    private static final Executor DIRECT = Runnable::run;
    private static final ExecutorService CONNECTOR = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "region-router-probe-connect");
        thread.setDaemon(true);
        return thread;
    });

    private final Region region;
    private volatile String jdbcUrl;
    private volatile Properties connectionProperties;
    private final Object lock = new Object();
    private volatile Connection connection;
    private CompletableFuture<Connection> connecting; // guarded by lock
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
        this.connectionProperties = probeProperties(connectionProperties);
    }

    private Properties probeProperties(Properties source) {
        Properties props = new Properties();
        props.putAll(source);
        props.setProperty("ApplicationName", "region-router-probe-" + region.id());
        props.setProperty("connectTimeout", Integer.toString(CONNECT_BUDGET_SECONDS));
        props.setProperty("loginTimeout", Integer.toString(CONNECT_BUDGET_SECONDS));
        props.setProperty("socketTimeout", Integer.toString(CONNECT_BUDGET_SECONDS));
        return props;
    }

    /**
     * Points the probe at another database, such as a promoted standby. The current connection, and
     * one still being opened, are closed; the next check connects to the new address.
     *
     * @param newJdbcUrl the new JDBC URL
     * @param newConnectionProperties user, password and driver properties; copied
     */
    public void retarget(String newJdbcUrl, Properties newConnectionProperties) {
        Objects.requireNonNull(newJdbcUrl, "jdbcUrl");
        Properties props = probeProperties(newConnectionProperties);
        Connection old;
        CompletableFuture<Connection> inFlight;
        synchronized (lock) {
            old = connection;
            connection = null;
            inFlight = connecting;
            connecting = null;
            jdbcUrl = newJdbcUrl;
            connectionProperties = props;
        }
        closeQuietly(old);
        if (inFlight != null) {
            inFlight.thenAccept(this::closeQuietly);
        }
        LOG.info("health probe of region {} now checks {}", region, Secrets.maskUrl(newJdbcUrl));
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
                    c = awaitConnection(millis);
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

    /** Starts a connect unless one is in flight, and waits for it at most {@code millis}. Holds the lock. */
    private Connection awaitConnection(long millis) throws SQLException, InterruptedException {
        if (connecting == null) {
            connecting = CompletableFuture.supplyAsync(this::open, CONNECTOR);
        }
        try {
            Connection c = connecting.get(millis, TimeUnit.MILLISECONDS);
            connecting = null;
            return c;
        } catch (TimeoutException stillConnecting) {
            throw new SQLTransientConnectionException("health probe of region " + region
                    + ": still connecting after " + millis + " ms (the connect itself may take up to "
                    + CONNECT_BUDGET_SECONDS + " s)");
        } catch (ExecutionException failed) {
            connecting = null;
            Throwable cause = failed.getCause() instanceof CompletionException && failed.getCause().getCause() != null
                    ? failed.getCause().getCause() : failed.getCause();
            if (cause instanceof SQLException sql) {
                throw sql;
            }
            throw new SQLException("health probe of region " + region + " could not connect", cause);
        }
    }

    private Connection open() {
        try {
            Connection c = DriverManager.getConnection(jdbcUrl, connectionProperties);
            if (closed) {
                closeQuietly(c);
                throw new IllegalStateException("health probe of region " + region + " was closed while connecting");
            }
            return c;
        } catch (SQLException e) {
            throw new CompletionException(e);
        }
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
        CompletableFuture<Connection> inFlight;
        synchronized (lock) {
            inFlight = connecting;
            connecting = null;
        }
        if (inFlight != null) {
            inFlight.thenAccept(this::closeQuietly);
        }
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
