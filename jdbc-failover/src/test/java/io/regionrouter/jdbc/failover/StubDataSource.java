package io.regionrouter.jdbc.failover;

import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source without a database: counts calls and hands out inert connections that name their
 * region and remember whether they were closed. Shared by the tests of every package.
 */
public final class StubDataSource implements DataSource {

    /** The region name; connections report it as their catalog and toString. */
    public final String name;
    /** Every call of {@link #getConnection()}, failed or not. */
    public final AtomicInteger calls = new AtomicInteger();
    /** Connections handed out. */
    public final AtomicInteger handedOut = new AtomicInteger();
    /** Connections closed. */
    public final AtomicInteger closed = new AtomicInteger();
    /** Runs during every checkout, before the failure check. */
    public volatile Runnable duringCheckout = () -> { };
    /** When set, every checkout throws it. */
    public volatile SQLException failure;

    public StubDataSource(String name) {
        this.name = name;
    }

    @Override
    public Connection getConnection() throws SQLException {
        calls.incrementAndGet();
        duringCheckout.run();
        SQLException f = failure;
        if (f != null) {
            throw f;
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
                    case "getAutoCommit" -> true;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "createStatement", "prepareStatement" -> statement(method.getReturnType());
                    case "commit" -> {
                        throwExecutionFailure();
                        yield null;
                    }
                    case "setAutoCommit" -> {
                        if ((Boolean) args[0]) {
                            throwExecutionFailure(); // it commits an open transaction
                        }
                        yield null;
                    }
                    default -> null;
                });
    }

    /** When set, every statement execution and commit on this source's connections throws it. */
    public volatile SQLException executionFailure;

    private void throwExecutionFailure() throws SQLException {
        SQLException f = executionFailure;
        if (f != null) {
            throw f;
        }
    }

    /** A statement whose executions throw {@link #executionFailure} or return zero, false or null. */
    private Object statement(Class<?> type) {
        return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getName().startsWith("execute")) {
                throwExecutionFailure();
            }
            Class<?> r = method.getReturnType();
            if (r == boolean.class) {
                return false;
            }
            if (r == int.class) {
                return 0;
            }
            if (r == long.class) {
                return 0L;
            }
            return null;
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
