package io.regionrouter.jdbc.failover.internal;

import java.io.IOException;
import java.sql.SQLException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Tells a server that answered from one that did not. Any SQL error the server sent proves it is
 * alive: too many connections ({@code 53300}), a rotated password ({@code 28P01}), "cannot connect
 * now" ({@code 57P03}), a syntax error. Only a failed or timed-out connect, a broken link and a
 * silent server count as not answering. Stateless.
 */
public final class Answers {

    private static final int MAX_DEPTH = 16;

    private Answers() {
    }

    /**
     * Whether a failure means the server could not be reached or did not answer.
     *
     * @param failure the failure
     * @return true for I/O failures, timeouts and pgjdbc's connect failures ({@code 08001}, {@code 08006})
     */
    public static boolean isUnreachable(Throwable failure) {
        boolean io = false;
        String firstState = null;
        boolean statelessSql = false;
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_DEPTH; depth++, t = t.getCause()) {
            if (t instanceof SSLException) {
                return false; // the server answered the handshake, whatever pgjdbc wrapped it in
            }
            if (t instanceof IOException || t instanceof TimeoutException) {
                io = true;
            } else if (t instanceof SQLException sql) {
                if (sql.getSQLState() == null) {
                    statelessSql = true;
                } else if (firstState == null) {
                    firstState = sql.getSQLState();
                }
            }
        }
        if (io) {
            return true;
        }
        if (firstState != null) {
            return firstState.startsWith("08");
        }
        // pgjdbc failed before the server said anything
        return statelessSql;
    }
}
