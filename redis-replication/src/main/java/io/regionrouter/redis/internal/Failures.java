package io.regionrouter.redis.internal;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.regionrouter.redis.ClockOffsetException;
import io.regionrouter.redis.ForeignValueException;
import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Classifies failures of Redis calls into {@link FailureKind}s. Only "could not reach" and "did not
 * answer" count against a region's health; a server that answered with an error, even a bad
 * password or "max clients", is alive. Stateless.
 */
public final class Failures {

    /**
     * Error codes of passing states, at the start of a reply or after the position prefix that Redis
     * 6.2 puts before an error raised inside a script
     * ({@code "ERR Error running script ...: @user_script:9: OOM ..."}). {@code BUSYGROUP} is not
     * {@code BUSY}: the word boundary keeps it out.
     */
    private static final Pattern TRANSIENT_REPLY = Pattern.compile(
            "(?:^|:\\s-?)(READONLY|LOADING|BUSY|OOM|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|NOREPLICAS|NOSCRIPT|NOAUTH"
                    + "|WRONGPASS|NOPERM)\\b"
                    + "|max number of clients reached|invalid password|invalid username-password");

    private static final int MAX_CAUSE_DEPTH = 10;

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
     * Classifies a failure.
     *
     * @param failure the failure, wrapped or not; null is {@link FailureKind#OTHER}
     * @return what it says about the server and the command
     */
    public static FailureKind classify(Throwable failure) {
        Throwable t = failure == null ? null : unwrap(failure);
        if (t instanceof ForeignValueException || t instanceof ClockOffsetException
                || t instanceof io.regionrouter.core.UserFrozenException
                || t instanceof io.regionrouter.core.UserMovedAwayException) {
            // a moving user's write refused by the server: never hinted, so a caller knows it was not applied
            return FailureKind.ERROR_REPLY;
        }
        if (t instanceof RedisCommandExecutionException reply) {
            return classifyReply(reply);
        }
        if (t instanceof RedisCommandTimeoutException || t instanceof TimeoutException) {
            return FailureKind.NO_ANSWER;
        }
        if (t instanceof RedisConnectionException) {
            // the handshake (AUTH, HELLO, CLIENT SETNAME) may have been answered with an error
            RedisCommandExecutionException reply = replyInCauses(t);
            return reply != null ? classifyReply(reply) : FailureKind.UNREACHABLE;
        }
        if (t instanceof ConnectException) {
            return FailureKind.UNREACHABLE;
        }
        if (t instanceof IOException) {
            return FailureKind.NO_ANSWER;
        }
        if (t instanceof RedisException) {
            return classifyClientMessage(String.valueOf(t.getMessage()));
        }
        return FailureKind.OTHER;
    }

    /** Classifies Lettuce's own failures, which it tells apart by message only. */
    private static FailureKind classifyClientMessage(String message) {
        if (message.startsWith("Currently not connected")) {
            // rejected at dispatch, or the write to the channel failed: never reached the server
            return FailureKind.UNREACHABLE;
        }
        if (message.startsWith("Connection disconnected")) {
            // the link dropped with the command sent and unanswered
            return FailureKind.NO_ANSWER;
        }
        if (message.startsWith("Request queue size exceeded") || message.startsWith("Command buffer size exceeded")) {
            return FailureKind.QUEUE_FULL;
        }
        return FailureKind.OTHER;
    }

    private static FailureKind classifyReply(RedisCommandExecutionException reply) {
        String message = String.valueOf(reply.getMessage());
        return TRANSIENT_REPLY.matcher(message).find() ? FailureKind.TRANSIENT_REPLY : FailureKind.ERROR_REPLY;
    }

    private static RedisCommandExecutionException replyInCauses(Throwable t) {
        Throwable c = t.getCause();
        for (int depth = 0; c != null && depth < MAX_CAUSE_DEPTH; depth++, c = c.getCause()) {
            if (c instanceof RedisCommandExecutionException reply) {
                return reply;
            }
        }
        return null;
    }
}
