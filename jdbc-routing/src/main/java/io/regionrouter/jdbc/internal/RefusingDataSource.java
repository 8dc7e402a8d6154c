package io.regionrouter.jdbc.internal;

import io.regionrouter.core.Region;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.Objects;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A region's connection source while no server may be written: every checkout fails at once with
 * SQLSTATE {@code 08004} ("server rejected the connection"), which is not a health signal, since no
 * server was asked. Stateless and thread-safe.
 */
public final class RefusingDataSource implements DataSource {

    /** The SQLSTATE of every refusal. */
    public static final String SQL_STATE = "08004";

    private final Region region;
    private final String reason;

    /**
     * Creates the refusing source.
     *
     * @param region the region
     * @param reason why connections are refused; part of every error
     */
    public RefusingDataSource(Region region, String reason) {
        this.region = Objects.requireNonNull(region, "region");
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    @Override
    public Connection getConnection() throws SQLException {
        throw new SQLTransientConnectionException("region " + region + " refuses connections: " + reason, SQL_STATE);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // nothing is logged through it
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // refusals are immediate
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no java.util.logging here");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper of " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    @Override
    public String toString() {
        return "RefusingDataSource[" + region + ": " + reason + "]";
    }
}
