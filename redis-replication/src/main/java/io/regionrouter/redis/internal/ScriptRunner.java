package io.regionrouter.redis.internal;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.concurrent.CompletableFuture;

/**
 * Runs a script with {@code EVALSHA}; if the server does not know it ({@code NOSCRIPT}, e.g. after
 * a restart) it falls back to {@code EVAL} once, which also loads it for the following calls.
 */
public final class ScriptRunner {

    private ScriptRunner() {
    }

    /**
     * Runs the script.
     *
     * @param commands the region's commands
     * @param sha the script's SHA-1
     * @param script the script text
     * @param type the output type
     * @param keys KEYS
     * @param args ARGV
     * @param <T> the result type
     * @return the result
     */
    public static <T> CompletableFuture<T> run(RedisClusterAsyncCommands<byte[], byte[]> commands, String sha,
            String script, ScriptOutputType type, byte[][] keys, byte[]... args) {
        CompletableFuture<T> first = commands.<T>evalsha(sha, type, keys, args).toCompletableFuture();
        return first.exceptionallyCompose(e -> Failures.unwrap(e) instanceof RedisNoScriptException
                ? commands.<T>eval(script, type, keys, args).toCompletableFuture()
                : CompletableFuture.failedFuture(Failures.unwrap(e)));
    }
}
