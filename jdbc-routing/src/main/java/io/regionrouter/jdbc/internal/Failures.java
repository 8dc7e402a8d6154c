package io.regionrouter.jdbc.internal;

import java.io.IOException;
import java.sql.SQLException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * Tells a database that could not be reached, or did not answer, from every other failure of a
 * real call. Only the first kind is a health signal: a server that answered, whatever it answered,
 * is up.
 *
 * <p>Unreachable, judged on the whole chain of causes and next exceptions:
 * <ul>
 *   <li>any {@link IOException} (refused or timed-out connect, socket timeout, reset or closed
 *       link, end of stream), except a TLS failure that carries no I/O failure of its own: a
 *       rejected certificate means the server answered;</li>
 *   <li>SQLState {@code 08001} without a cause: pgjdbc's "Connection attempt timed out" (the login
 *       timeout ran out while the server stayed silent). pgjdbc also uses that state for a few
 *       settings it refuses before connecting (an invalid {@code sslmode}, no server of the
 *       requested {@code targetServerType}); those leave the database just as unusable.</li>
 * </ul>
 * Everything else counts as answered: SQL errors (syntax {@code 42601}, unique {@code 23505},
 * division by zero {@code 22012}, ...), authentication ({@code 28P01}, {@code 28000}), too many
 * connections ({@code 53300}), "cannot connect now" ({@code 57P03}), a statement cancelled by its
 * query timeout ({@code 57014}), and HikariCP's "Connection is not available, request timed out"
 * when the pool recorded no connect failure: the pool was merely exhausted. When HikariCP did
 * record one, it is the timeout's cause and next exception, and is judged as above.
 */
public final class Failures {

    /** Bounds the walk through causes and next exceptions. */
    private static final int MAX_DEPTH = 16;
    private static final String UNABLE_TO_CONNECT = "08001";

    private Failures() {
    }

    /**
     * Whether a failure means the database could not be reached or did not answer.
     *
     * @param failure the failure, may be null
     * @return true for connect failures, socket timeouts and broken links
     */
    public static boolean isUnreachable(Throwable failure) {
        if (failure == null) {
            return false;
        }
        // fast path for the common single-level cases, without allocating
        if (failure.getCause() == null && !(failure instanceof SQLException sql && sql.getNextException() != null)) {
            return judge(failure);
        }
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        return walk(failure, seen, 0);
    }

    private static boolean walk(Throwable t, Set<Throwable> seen, int depth) {
        if (t == null || depth > MAX_DEPTH || !seen.add(t)) {
            return false;
        }
        if (judge(t)) {
            return true;
        }
        if (walk(t.getCause(), seen, depth + 1)) {
            return true;
        }
        return t instanceof SQLException sql && walk(sql.getNextException(), seen, depth + 1);
    }

    /** Judges one link of the chain on its own. */
    private static boolean judge(Throwable t) {
        if (t instanceof SSLException) {
            return false; // its cause, if any, is judged on its own
        }
        if (t instanceof IOException) {
            return true;
        }
        return t instanceof SQLException sql && t.getCause() == null && UNABLE_TO_CONNECT.equals(sql.getSQLState());
    }
}
