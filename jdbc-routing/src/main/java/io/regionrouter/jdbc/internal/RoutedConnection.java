package io.regionrouter.jdbc.internal;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.regionrouter.core.Region;
import io.regionrouter.core.Store;
import io.regionrouter.core.support.Sql;
import io.regionrouter.jdbc.OutcomeUnknownSQLException;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.ShardingKey;
import java.sql.Statement;
import java.sql.Struct;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * A connection handed out by the routing data sources: the region pool's connection (HikariCP's
 * proxy, which returns the physical connection to the pool on {@link #close()}), with what only
 * the router knows added on top.
 *
 * <ul>
 *   <li>A statement, commit or {@code setAutoCommit(true)} that fails because the database could
 *       not be reached after it was sent (see {@link Failures}) throws
 *       {@link OutcomeUnknownSQLException} when its work may have been applied: in auto-commit mode,
 *       for {@code commit()}, and for {@code setAutoCommit(true)} or a {@code COMMIT} statement
 *       inside a transaction. A statement inside a transaction that fails that way cannot be
 *       committed any more, so the driver's exception is thrown as it is.</li>
 *   <li>Such failures are reported to the region's store health. A connection on which the
 *       database answered (a statement, even one that failed with an SQL error, a commit or a
 *       rollback) and which saw no such failure is reported as one success when it is closed. A
 *       connection that never reached the database (no statement ran) reports nothing: a checkout
 *       of a pooled connection does not talk to the server. So the health's failure rate compares
 *       connections that talked to the server, each counted once.</li>
 *   <li>Statements are wrapped the same way, and {@link Statement#getConnection()} returns this
 *       connection. {@link #unwrap} and {@link #isWrapperFor} answer for this class and otherwise
 *       ask the pool's connection, so {@code unwrap(PGConnection.class)} still works.</li>
 * </ul>
 *
 * <p>Not thread-safe, like any JDBC connection. Costs one small object per checkout.
 */
public final class RoutedConnection implements Connection {

    private final Connection delegate;
    private final RegionPool pool;
    private boolean inTransaction;
    private boolean answered;
    private boolean unreachable;
    private boolean closed;
    private boolean sessionChanged;

    private final HikariDataSource hikari;
    private StatementObserver observer;

    RoutedConnection(Connection delegate, RegionPool pool, boolean autoCommit, HikariDataSource hikari) {
        this.delegate = delegate;
        this.pool = pool;
        this.inTransaction = !autoCommit;
        this.hikari = hikari;
    }

    /**
     * Looks at SQL about to be run or prepared on this connection; if it may change the session's
     * state (see {@link SessionStatements}), the connection is evicted when closed instead of going
     * back to the pool. One scan of the text, no round trip.
     */
    void inspect(String sql) {
        if (!sessionChanged && SessionStatements.mayChangeSession(sql)) {
            sessionChanged = true;
        }
    }

    /** The driver's own object was handed out: what runs on it is not inspected, so evict on close. */
    void unwrapped() {
        sessionChanged = true;
    }

    /** Whether this connection will be evicted when closed, because its session may have changed. */
    public boolean sessionMayHaveChanged() {
        return sessionChanged;
    }

    /**
     * Observes every statement run on this connection from now on.
     *
     * @param registry the router's registry, not a no-op one
     * @param store the store of the routing data source
     * @param checkout the checkout that gave this connection
     */
    public void observeStatements(ObservationRegistry registry, Store store, Observation checkout) {
        observer = new StatementObserver(registry, store, pool.region(), checkout);
    }

    /** The observation of an execution of {@code sql} (null for a batch), or null when not observed. */
    Observation statementStarted(String sql) {
        return observer == null ? null : observer.started(sql);
    }

    /** The region this connection belongs to. */
    public Region region() {
        return pool.region();
    }

    /**
     * Judges a failed statement execution.
     *
     * @param e the driver's failure
     * @param sql the statement's text, or null if unknown
     * @return the exception to throw
     */
    SQLException statementFailed(SQLException e, String sql) {
        if (!unreachable(e)) {
            answered = true; // an SQL error is an answer
            return e;
        }
        if (inTransaction && !Sql.isCommit(sql)) {
            return e; // the transaction cannot commit any more, so none of its work is applied
        }
        return new OutcomeUnknownSQLException(Sql.describe(sql), pool.region(), e);
    }

    /** Notes that the database answered an execution on this connection. */
    void answered() {
        answered = true;
    }

    private SQLException commitFailed(SQLException e, String what) {
        if (unreachable(e)) {
            return new OutcomeUnknownSQLException(what, pool.region(), e);
        }
        answered = true;
        return e;
    }

    private SQLException failed(SQLException e) {
        if (!unreachable(e)) {
            answered = true;
        }
        return e;
    }

    /** Reports an unreachable database to the store health, once per connection. */
    private boolean unreachable(SQLException e) {
        if (!Failures.isUnreachable(e)) {
            return false;
        }
        if (!unreachable) {
            unreachable = true;
            pool.health().recordFailure(e);
        }
        return true;
    }

    @Override
    public Statement createStatement() throws SQLException {
        return new RoutedStatement(this, delegate.createStatement());
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency) throws SQLException {
        return new RoutedStatement(this, delegate.createStatement(resultSetType, resultSetConcurrency));
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency, int resultSetHoldability)
            throws SQLException {
        return new RoutedStatement(this, delegate.createStatement(resultSetType, resultSetConcurrency,
                resultSetHoldability));
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        inspect(sql);
        return new RoutedPreparedStatement(this, delegate.prepareStatement(sql), sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency)
            throws SQLException {
        inspect(sql);
        return new RoutedPreparedStatement(this, delegate.prepareStatement(sql, resultSetType, resultSetConcurrency),
                sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency,
            int resultSetHoldability) throws SQLException {
        inspect(sql);
        return new RoutedPreparedStatement(this, delegate.prepareStatement(sql, resultSetType, resultSetConcurrency,
                resultSetHoldability), sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
        inspect(sql);
        return new RoutedPreparedStatement(this, delegate.prepareStatement(sql, autoGeneratedKeys), sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
        inspect(sql);
        return new RoutedPreparedStatement(this, delegate.prepareStatement(sql, columnIndexes), sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
        inspect(sql);
        return new RoutedPreparedStatement(this, delegate.prepareStatement(sql, columnNames), sql);
    }

    @Override
    public CallableStatement prepareCall(String sql) throws SQLException {
        inspect(sql);
        return new RoutedCallableStatement(this, delegate.prepareCall(sql), sql);
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency) throws SQLException {
        inspect(sql);
        return new RoutedCallableStatement(this, delegate.prepareCall(sql, resultSetType, resultSetConcurrency), sql);
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency,
            int resultSetHoldability) throws SQLException {
        inspect(sql);
        return new RoutedCallableStatement(this, delegate.prepareCall(sql, resultSetType, resultSetConcurrency,
                resultSetHoldability), sql);
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        return delegate.getAutoCommit();
    }

    /** Turning auto-commit on inside a transaction commits it, so a lost answer leaves its outcome unknown. */
    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        try {
            delegate.setAutoCommit(autoCommit);
        } catch (SQLException e) {
            throw autoCommit && inTransaction ? commitFailed(e, "the commit of setAutoCommit(true)") : failed(e);
        }
        inTransaction = !autoCommit;
    }

    @Override
    public void commit() throws SQLException {
        try {
            delegate.commit();
        } catch (SQLException e) {
            throw commitFailed(e, "the commit");
        }
        answered = true;
    }

    /** A rollback that fails leaves nothing committed: the database rolls back when the link goes. */
    @Override
    public void rollback() throws SQLException {
        try {
            delegate.rollback();
        } catch (SQLException e) {
            throw failed(e);
        }
        answered = true;
    }

    @Override
    public void rollback(Savepoint savepoint) throws SQLException {
        try {
            delegate.rollback(savepoint);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /**
     * Returns the connection to its pool, or evicts it from the pool if SQL run on it may have
     * changed its session (the region setting above all), so that the next borrower never gets it.
     * Reports a success if the database answered on it and never failed to.
     */
    @Override
    public void close() throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        if (answered && !unreachable) {
            pool.health().recordSuccess();
        }
        if (sessionChanged) {
            try {
                pool.evict(delegate, hikari);
            } catch (SQLException e) {
                delegate.abort(Runnable::run); // the setting could not be bound again: never reuse the connection
                throw e;
            }
        }
        delegate.close();
    }

    @Override
    public boolean isClosed() throws SQLException {
        return closed || delegate.isClosed();
    }

    @Override
    public void abort(Executor executor) throws SQLException {
        closed = true;
        delegate.abort(executor);
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface != null && iface.isInstance(this)) {
            return iface.cast(this);
        }
        unwrapped(); // SQL run on the driver's connection escapes inspection
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface != null && iface.isInstance(this) || delegate.isWrapperFor(iface);
    }

    @Override
    public String toString() {
        return "RoutedConnection[" + pool.region() + ", " + delegate + "]";
    }

    @Override
    public String nativeSQL(String sql) throws SQLException {
        return delegate.nativeSQL(sql);
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        return delegate.getMetaData();
    }

    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        delegate.setReadOnly(readOnly);
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        return delegate.isReadOnly();
    }

    @Override
    public void setCatalog(String catalog) throws SQLException {
        delegate.setCatalog(catalog);
    }

    @Override
    public String getCatalog() throws SQLException {
        return delegate.getCatalog();
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        delegate.setTransactionIsolation(level);
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        return delegate.getTransactionIsolation();
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        return delegate.getWarnings();
    }

    @Override
    public void clearWarnings() throws SQLException {
        delegate.clearWarnings();
    }

    @Override
    public Map<String, Class<?>> getTypeMap() throws SQLException {
        return delegate.getTypeMap();
    }

    @Override
    public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
        delegate.setTypeMap(map);
    }

    @Override
    public void setHoldability(int holdability) throws SQLException {
        delegate.setHoldability(holdability);
    }

    @Override
    public int getHoldability() throws SQLException {
        return delegate.getHoldability();
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        return delegate.setSavepoint();
    }

    @Override
    public Savepoint setSavepoint(String name) throws SQLException {
        return delegate.setSavepoint(name);
    }

    @Override
    public void releaseSavepoint(Savepoint savepoint) throws SQLException {
        delegate.releaseSavepoint(savepoint);
    }

    @Override
    public Clob createClob() throws SQLException {
        return delegate.createClob();
    }

    @Override
    public Blob createBlob() throws SQLException {
        return delegate.createBlob();
    }

    @Override
    public NClob createNClob() throws SQLException {
        return delegate.createNClob();
    }

    @Override
    public SQLXML createSQLXML() throws SQLException {
        return delegate.createSQLXML();
    }

    @Override
    public boolean isValid(int timeout) throws SQLException {
        return delegate.isValid(timeout);
    }

    @Override
    public void setClientInfo(String name, String value) throws SQLClientInfoException {
        delegate.setClientInfo(name, value);
    }

    @Override
    public void setClientInfo(Properties properties) throws SQLClientInfoException {
        delegate.setClientInfo(properties);
    }

    @Override
    public String getClientInfo(String name) throws SQLException {
        return delegate.getClientInfo(name);
    }

    @Override
    public Properties getClientInfo() throws SQLException {
        return delegate.getClientInfo();
    }

    @Override
    public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
        return delegate.createArrayOf(typeName, elements);
    }

    @Override
    public Struct createStruct(String typeName, Object[] attributes) throws SQLException {
        return delegate.createStruct(typeName, attributes);
    }

    @Override
    public void setSchema(String schema) throws SQLException {
        delegate.setSchema(schema);
    }

    @Override
    public String getSchema() throws SQLException {
        return delegate.getSchema();
    }

    @Override
    public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
        delegate.setNetworkTimeout(executor, milliseconds);
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        return delegate.getNetworkTimeout();
    }

    @Override
    public void beginRequest() throws SQLException {
        delegate.beginRequest();
    }

    @Override
    public void endRequest() throws SQLException {
        delegate.endRequest();
    }

    @Override
    public boolean setShardingKeyIfValid(ShardingKey shardingKey, ShardingKey superShardingKey, int timeout)
            throws SQLException {
        return delegate.setShardingKeyIfValid(shardingKey, superShardingKey, timeout);
    }

    @Override
    public boolean setShardingKeyIfValid(ShardingKey shardingKey, int timeout) throws SQLException {
        return delegate.setShardingKeyIfValid(shardingKey, timeout);
    }

    @Override
    public void setShardingKey(ShardingKey shardingKey, ShardingKey superShardingKey) throws SQLException {
        delegate.setShardingKey(shardingKey, superShardingKey);
    }

    @Override
    public void setShardingKey(ShardingKey shardingKey) throws SQLException {
        delegate.setShardingKey(shardingKey);
    }
}
