package io.regionrouter.jdbc.failover.internal;

import io.regionrouter.core.support.JdbcUrls;
import io.regionrouter.jdbc.failover.PgEndpoint;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@link PgAdmin} over fresh, unpooled connections: administrative calls are rare, and a fresh
 * connection tells more about a server than a pooled one. WAL positions of a primary are its insert
 * positions ({@code pg_current_wal_insert_lsn()}), not its write positions: with
 * {@code synchronous_commit=off} a commit is acknowledged before its WAL is written, and it still
 * counts. Connects within 1 s (the driver counts whole
 * seconds); reads within 5 s, or within the promotion wait plus 5 s for {@code pg_promote}.
 */
public final class JdbcPgAdmin implements PgAdmin {

    private static final int CONNECT_SECONDS = 1;
    private static final int SOCKET_SECONDS = 5;

    private final ExecutorService pingExecutor;

    /**
     * Creates the admin.
     *
     * @param pingExecutor runs pings, so that a ping can be given up after its timeout
     */
    public JdbcPgAdmin(ExecutorService pingExecutor) {
        this.pingExecutor = pingExecutor;
    }

    @Override
    public DataSource dataSource(PgEndpoint endpoint) {
        return dataSource(endpoint, SOCKET_SECONDS);
    }

    private static PGSimpleDataSource dataSource(PgEndpoint endpoint, int socketSeconds) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(endpoint.jdbcUrl());
        ds.setUser(endpoint.user());
        ds.setPassword(endpoint.password());
        ds.setConnectTimeout(CONNECT_SECONDS);
        ds.setLoginTimeout(CONNECT_SECONDS);
        ds.setSocketTimeout(socketSeconds);
        ds.setApplicationName("region-router-failover");
        if (endpoint.sslMode() != null && JdbcUrls.parameter(endpoint.jdbcUrl(), JdbcUrls.SSL_MODE) == null) {
            ds.setSslMode(endpoint.sslMode());
        }
        return ds;
    }

    @Override
    public void ping(PgEndpoint endpoint, Duration timeout) throws Exception {
        Future<?> f = pingExecutor.submit(() -> {
            try (Connection c = dataSource(endpoint, CONNECT_SECONDS).getConnection(); Statement s = c.createStatement()) {
                s.execute("SELECT 1");
            }
            return null;
        });
        try {
            f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new TimeoutException(endpoint.name() + " did not answer within " + timeout);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw e;
        }
    }

    @Override
    public boolean isInRecovery(PgEndpoint endpoint) throws SQLException {
        try (Connection c = dataSource(endpoint).getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    @Override
    public boolean promote(PgEndpoint standby, Duration wait) throws SQLException {
        int seconds = (int) Math.max(1, wait.toSeconds());
        try (Connection c = dataSource(standby, seconds + SOCKET_SECONDS).getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT pg_promote(wait => true, wait_seconds => ?)")) {
            ps.setInt(1, seconds);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    @Override
    public PrimarySample samplePrimary(PgEndpoint primary) throws SQLException {
        String sql = "SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::bigint,"
                + " current_setting('synchronous_standby_names') <> ''"
                + " AND current_setting('synchronous_commit') IN ('on', 'remote_write', 'remote_apply'),"
                + " EXISTS (SELECT 1 FROM pg_stat_replication WHERE sync_state IN ('sync', 'quorum'))";
        try (Connection c = dataSource(primary).getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return new PrimarySample(rs.getLong(1), rs.getBoolean(2), rs.getBoolean(3));
        }
    }

    @Override
    public long standbyLsn(PgEndpoint standby) throws SQLException {
        String sql = "SELECT pg_wal_lsn_diff(GREATEST(COALESCE(pg_last_wal_receive_lsn(), '0/0'),"
                + " COALESCE(pg_last_wal_replay_lsn(), '0/0')), '0/0')::bigint";
        return queryLong(standby, sql);
    }

    @Override
    public long writableLsn(PgEndpoint endpoint) throws SQLException {
        String sql = "SELECT CASE WHEN pg_is_in_recovery() THEN -1"
                + " ELSE pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::bigint END";
        return queryLong(endpoint, sql);
    }

    /** Runs a query of one row and one bigint column on a fresh admin connection. */
    private long queryLong(PgEndpoint endpoint, String sql) throws SQLException {
        try (Connection c = dataSource(endpoint).getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            if (!rs.next()) {
                throw new SQLException("no row from " + endpoint.name() + " for: " + sql);
            }
            return rs.getLong(1);
        }
    }

    @Override
    public boolean awaitReplay(PgEndpoint standby, long lsn, Duration timeout) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String sql = "SELECT pg_wal_lsn_diff(COALESCE(pg_last_wal_replay_lsn(), '0/0'), '0/0')::bigint";
        try (Connection c = dataSource(standby).getConnection(); Statement s = c.createStatement()) {
            while (true) {
                try (ResultSet rs = s.executeQuery(sql)) {
                    rs.next();
                    if (rs.getLong(1) >= lsn) {
                        return true;
                    }
                }
                if (System.nanoTime() >= deadline) {
                    return false;
                }
                Thread.sleep(10);
            }
        }
    }

    @Override
    public ServerState state(PgEndpoint endpoint) throws SQLException {
        try (Connection c = dataSource(endpoint).getConnection()) {
            return EpochTable.read(c);
        }
    }

    @Override
    public void recordEpoch(PgEndpoint primary, long epoch, String promotedBy) throws SQLException {
        try (Connection c = dataSource(primary).getConnection()) {
            c.setAutoCommit(true);
            EpochTable.record(c, epoch, promotedBy);
        }
    }
}
