package io.regionrouter.jdbc.failover.internal;

import io.regionrouter.jdbc.failover.PgEndpoint;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks one server for its {@link ServerState} on an administrative connection that it keeps (a new
 * one after any failure). A read that has not finished within the timeout counts as no answer, and
 * no second read is started while it is still running. Thread-safe.
 */
public final class ServerWatch implements AutoCloseable {

    private final PgAdmin admin;
    private final PgEndpoint endpoint;
    private final ExecutorService executor;
    private Connection connection;
    private Future<ServerState> inFlight;
    private volatile String lastFailure = "not asked yet";

    /**
     * Creates the watch.
     *
     * @param admin opens administrative connections
     * @param endpoint the server
     * @param executor runs the reads
     */
    public ServerWatch(PgAdmin admin, PgEndpoint endpoint, ExecutorService executor) {
        this.admin = admin;
        this.endpoint = endpoint;
        this.executor = executor;
    }

    /** The server. */
    public PgEndpoint endpoint() {
        return endpoint;
    }

    /** Starts a read unless one is running. */
    public synchronized Future<ServerState> start(Duration timeout) {
        if (inFlight == null || inFlight.isDone()) {
            inFlight = executor.submit(() -> readNow(timeout));
        }
        return inFlight;
    }

    /**
     * Waits for a read started by {@link #start}.
     *
     * @return the state, or empty when the server did not answer in time or could not be reached
     */
    public Optional<ServerState> await(Future<ServerState> read, long deadlineNanos) throws InterruptedException {
        try {
            return Optional.of(read.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            lastFailure = "no answer within the follow timeout";
            return Optional.empty();
        } catch (ExecutionException e) {
            lastFailure = String.valueOf(e.getCause());
            return Optional.empty();
        } catch (java.util.concurrent.CancellationException e) {
            lastFailure = "closed";
            return Optional.empty();
        }
    }

    /** Why the last read gave no state, for messages. */
    public String lastFailure() {
        return lastFailure;
    }

    private ServerState readNow(Duration timeout) throws SQLException {
        Connection c;
        synchronized (this) {
            c = connection;
        }
        try {
            if (c == null || c.isClosed()) {
                c = admin.dataSource(endpoint).getConnection();
                synchronized (this) {
                    connection = c;
                }
            }
            c.setNetworkTimeout(Runnable::run, (int) Math.max(1, timeout.toMillis()));
            return EpochTable.read(c);
        } catch (SQLException | RuntimeException e) {
            drop(c);
            throw e;
        }
    }

    private synchronized void drop(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // dropped because it failed already
            }
        }
        if (connection == c) {
            connection = null;
        }
    }

    @Override
    public synchronized void close() {
        if (inFlight != null) {
            inFlight.cancel(true);
        }
        drop(connection);
    }
}
