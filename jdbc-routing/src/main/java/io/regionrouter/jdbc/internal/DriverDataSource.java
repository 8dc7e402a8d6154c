package io.regionrouter.jdbc.internal;

import io.regionrouter.core.support.Secrets;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Objects;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Opens connections through the JDBC driver with a URL and driver properties that HikariCP never
 * sees: HikariCP logs its configuration at DEBUG, including {@code dataSourceProperties} with only
 * {@code password} masked, so secrets such as {@code sslpassword} are kept here instead, and
 * {@link #toString()}, the only thing HikariCP logs of a data source, masks the URL.
 * Thread-safe; the properties are copied and never exposed.
 */
public final class DriverDataSource implements DataSource {

    private final String url;
    private final Properties properties;
    private volatile int loginTimeoutSeconds;
    private volatile PrintWriter logWriter;

    /**
     * Creates the data source.
     *
     * @param url the JDBC URL
     * @param properties every driver property, credentials included; copied
     */
    public DriverDataSource(String url, Properties properties) {
        this.url = Objects.requireNonNull(url, "url");
        this.properties = new Properties();
        this.properties.putAll(properties);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return connect(new Properties(properties));
    }

    /** HikariCP calls this when its own {@code username} is set (by a customizer); a null password keeps ours. */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        Properties props = new Properties();
        props.putAll(properties);
        if (username != null) {
            props.setProperty("user", username);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        return connect(props);
    }

    private Connection connect(Properties props) throws SQLException {
        Properties all = new Properties();
        all.putAll(properties);
        props.stringPropertyNames().forEach(k -> all.setProperty(k, props.getProperty(k)));
        Driver driver = DriverManager.getDriver(url);
        Connection c = driver.connect(url, all);
        if (c == null) {
            throw new SQLException("no JDBC driver accepts " + Secrets.maskUrl(url), "08001");
        }
        return c;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public void setLoginTimeout(int seconds) {
        this.loginTimeoutSeconds = seconds; // the driver's loginTimeout property bounds the login
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeoutSeconds;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("getParentLogger");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface != null && iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper for " + iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface != null && iface.isInstance(this);
    }

    @Override
    public String toString() {
        return "DriverDataSource[" + Secrets.maskUrl(url) + "]";
    }
}
