package io.regionrouter.jdbc.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;

/**
 * A {@link Connection} that takes its physical connection only at first real use, so that the
 * read-only flag set after {@code getConnection()} (as Spring's {@code @Transactional(readOnly = true)}
 * does) can still choose between a replica and the primary.
 *
 * <p>Until then it records {@code setReadOnly}, {@code setAutoCommit}, {@code setTransactionIsolation}
 * and {@code setHoldability}, answers their getters, treats {@code commit} and {@code rollback} as
 * no-ops (nothing ran), and closes without touching a pool. Every other method takes the physical
 * connection, applies the recorded settings and delegates. Not thread-safe, like a JDBC connection.
 */
public final class LazyConnection implements InvocationHandler {

    /** Where the physical connection comes from. */
    public interface TargetSource {
        /**
         * Opens the physical connection.
         *
         * @param readOnly whether the connection was marked read-only before first use
         * @return the connection
         * @throws SQLException when no connection can be had
         */
        Connection open(boolean readOnly) throws SQLException;

        /**
         * Called just before the physical connection is closed; must not throw.
         *
         * @param target the physical connection
         */
        void beforeClose(Connection target);

        /** A short description for {@code toString()}, such as {@code replica eu-1}; null before opening. */
        String describe();
    }

    private final TargetSource source;
    private Connection target;
    private boolean closed;
    private boolean readOnly;
    private boolean autoCommit = true;
    private Integer isolation;
    private Integer holdability;

    private LazyConnection(TargetSource source) {
        this.source = source;
    }

    /**
     * Creates a lazy connection.
     *
     * @param source opens the physical connection at first use
     * @return the connection proxy
     */
    public static Connection create(TargetSource source) {
        Objects.requireNonNull(source, "source");
        return (Connection) Proxy.newProxyInstance(LazyConnection.class.getClassLoader(), new Class<?>[] {Connection.class},
                new LazyConnection(source));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        switch (name) {
            case "equals":
                return proxy == args[0];
            case "hashCode":
                return System.identityHashCode(proxy);
            case "toString":
                return "LazyConnection[" + (target == null ? "not opened" : source.describe()) + (closed ? ", closed" : "") + "]";
            case "close":
                close();
                return null;
            case "isClosed":
                return closed;
            case "unwrap":
                if (((Class<?>) args[0]).isInstance(proxy)) {
                    return proxy;
                }
                break;
            case "isWrapperFor":
                if (((Class<?>) args[0]).isInstance(proxy)) {
                    return true;
                }
                break;
            case "isValid":
                if (target == null) {
                    return !closed;
                }
                break;
            default:
                break;
        }
        if (closed) {
            throw new SQLException("connection is closed", "08003");
        }
        if (target == null) {
            switch (name) {
                case "setReadOnly":
                    readOnly = (Boolean) args[0];
                    return null;
                case "isReadOnly":
                    return readOnly;
                case "setAutoCommit":
                    autoCommit = (Boolean) args[0];
                    return null;
                case "getAutoCommit":
                    return autoCommit;
                case "setTransactionIsolation":
                    isolation = (Integer) args[0];
                    return null;
                case "getTransactionIsolation":
                    return isolation == null ? Connection.TRANSACTION_READ_COMMITTED : isolation;
                case "setHoldability":
                    holdability = (Integer) args[0];
                    return null;
                case "getWarnings":
                    return null;
                case "clearWarnings":
                    return null;
                case "commit":
                case "rollback":
                    if (args == null || args.length == 0) {
                        return null;
                    }
                    break;
                default:
                    break;
            }
            open();
        }
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private void open() throws SQLException {
        Connection c = source.open(readOnly);
        try {
            if (readOnly) {
                c.setReadOnly(true);
            }
            if (!autoCommit) {
                c.setAutoCommit(false);
            }
            if (isolation != null) {
                c.setTransactionIsolation(isolation);
            }
            if (holdability != null) {
                c.setHoldability(holdability);
            }
        } catch (SQLException | RuntimeException e) {
            try {
                c.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        target = c;
    }

    private void close() throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        if (target != null) {
            source.beforeClose(target);
            target.close();
        }
    }
}
