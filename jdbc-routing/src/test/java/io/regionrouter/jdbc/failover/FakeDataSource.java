package io.regionrouter.jdbc.failover;

import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/** A data source without a database: hands out inert connections that remember whether they were closed. */
final class FakeDataSource implements DataSource {

    final String name;
    final AtomicInteger handedOut = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();
    volatile Runnable duringCheckout = () -> { };
    volatile SQLException failure;

    FakeDataSource(String name) {
        this.name = name;
    }

    @Override
    public Connection getConnection() throws SQLException {
        duringCheckout.run();
        if (failure != null) {
            throw failure;
        }
        handedOut.incrementAndGet();
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getCatalog", "toString" -> name;
                    case "close" -> {
                        closed.incrementAndGet();
                        yield null;
                    }
                    case "isClosed" -> false;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
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
    }

    @Override
    public void setLoginTimeout(int seconds) {
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() {
        return Logger.getGlobal();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return false;
    }
}
