package io.regionrouter.redis.internal;

import io.lettuce.core.RedisCommandExecutionException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Classifies failures of Redis calls. */
public final class Failures {

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
     * Returns whether the server answered with an error (such as WRONGTYPE): the region is
     * reachable, the command itself is wrong, and retrying or replaying it would not help.
     */
    public static boolean isCommandError(Throwable t) {
        return unwrap(t) instanceof RedisCommandExecutionException;
    }
}
