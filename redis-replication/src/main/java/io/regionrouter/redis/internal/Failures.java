package io.regionrouter.redis.internal;

import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisLoadingException;
import io.lettuce.core.RedisReadOnlyException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Classifies failures of Redis calls. */
public final class Failures {

    private static final String[] TRANSIENT_PREFIXES = {
        "READONLY", "LOADING", "BUSY ", "OOM", "MASTERDOWN", "TRYAGAIN", "CLUSTERDOWN", "NOREPLICAS"};

    private Failures() {
    }

    /** Strips CompletionException and ExecutionException wrappers. */
    public static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    /**
     * Returns whether the server answered with an error (such as WRONGTYPE) that is not a passing
     * server state: the region is reachable, the command itself is wrong, and retrying or replaying
     * it would not help.
     */
    public static boolean isCommandError(Throwable t) {
        Throwable c = unwrap(t);
        return c instanceof RedisCommandExecutionException && !isTransientServerState(c);
    }

    /**
     * Returns whether an error reply reports a passing state of the server (a replica after a
     * failover, loading its data set, busy with a script, out of memory, cut off from its master):
     * the same command can succeed later, so a hint must be kept and a read may go elsewhere.
     */
    private static boolean isTransientServerState(Throwable c) {
        if (c instanceof RedisReadOnlyException || c instanceof RedisLoadingException
                || c instanceof RedisBusyException) {
            return true;
        }
        String message = String.valueOf(c.getMessage());
        for (String prefix : TRANSIENT_PREFIXES) {
            if (message.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
