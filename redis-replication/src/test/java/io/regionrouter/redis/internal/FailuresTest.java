package io.regionrouter.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisLoadingException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisReadOnlyException;
import io.regionrouter.core.Region;
import io.regionrouter.redis.ForeignValueException;
import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The classification table: only "could not reach" and "did not answer" count against health. */
class FailuresTest {

    static Stream<Arguments> table() {
        return Stream.of(
                // could not reach: counts, never sent, worth a hint
                row(new RedisConnectionException("Unable to connect to 127.0.0.1:6379",
                        new ConnectException("Connection refused")), FailureKind.UNREACHABLE),
                row(new RedisException("Currently not connected. Commands are rejected."), FailureKind.UNREACHABLE),
                row(new RedisConnectionException("no connection to region us yet"), FailureKind.UNREACHABLE),
                row(new ConnectException("Connection refused"), FailureKind.UNREACHABLE),
                // did not answer: counts, may have run
                row(new RedisCommandTimeoutException("Command timed out after 1 second(s)"), FailureKind.NO_ANSWER),
                row(new TimeoutException(), FailureKind.NO_ANSWER),
                row(new RedisException("Connection disconnected"), FailureKind.NO_ANSWER),
                row(new IOException("Connection reset by peer"), FailureKind.NO_ANSWER),
                row(new CompletionException(new RedisCommandTimeoutException("timed out")), FailureKind.NO_ANSWER),
                row(new ExecutionException(new CompletionException(new RedisException("Connection disconnected"))),
                        FailureKind.NO_ANSWER),
                // the server answered with a passing state: not a failure, worth a retry
                row(new RedisReadOnlyException("READONLY You can't write against a read only replica."),
                        FailureKind.TRANSIENT_REPLY),
                row(new RedisLoadingException("LOADING Redis is loading the dataset in memory"),
                        FailureKind.TRANSIENT_REPLY),
                row(new RedisBusyException("BUSY Redis is busy running a script."), FailureKind.TRANSIENT_REPLY),
                row(reply("OOM command not allowed when used memory > 'maxmemory'."), FailureKind.TRANSIENT_REPLY),
                row(reply("ERR Error running script (call to f_5b1a): @user_script:26: @user_script: 26: "
                        + "-OOM command not allowed when used memory > 'maxmemory'."), FailureKind.TRANSIENT_REPLY),
                row(reply("MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'."),
                        FailureKind.TRANSIENT_REPLY),
                row(reply("TRYAGAIN Multiple keys request during rehashing of slot"), FailureKind.TRANSIENT_REPLY),
                row(reply("NOREPLICAS Not enough good replicas to write."), FailureKind.TRANSIENT_REPLY),
                row(new RedisNoScriptException("NOSCRIPT No matching script. Please use EVAL."),
                        FailureKind.TRANSIENT_REPLY),
                row(reply("NOAUTH Authentication required."), FailureKind.TRANSIENT_REPLY),
                row(reply("WRONGPASS invalid username-password pair or user is disabled."),
                        FailureKind.TRANSIENT_REPLY),
                row(reply("NOPERM this user has no permissions to run the 'evalsha' command"),
                        FailureKind.TRANSIENT_REPLY),
                row(reply("ERR max number of clients reached"), FailureKind.TRANSIENT_REPLY),
                row(new RedisConnectionException("Unable to connect to 127.0.0.1:6379",
                        reply("WRONGPASS invalid username-password pair or user is disabled.")),
                        FailureKind.TRANSIENT_REPLY),
                row(new RedisConnectionException("Unable to connect", new CompletionException(
                        reply("ERR max number of clients reached"))), FailureKind.TRANSIENT_REPLY),
                // the server answered with an error a retry cannot fix: not a failure, not hinted
                row(reply("WRONGTYPE Operation against a key holding the wrong kind of value"),
                        FailureKind.ERROR_REPLY),
                row(reply("ERR Error running script (call to f_5b1a): @user_script:10: WRONGTYPE Operation against"
                        + " a key holding the wrong kind of value"), FailureKind.ERROR_REPLY),
                row(reply("ERR user_script:1: Script attempted to access nonexistent global variable 'x'"),
                        FailureKind.ERROR_REPLY),
                row(reply("BUSYGROUP Consumer Group name already exists"), FailureKind.ERROR_REPLY),
                row(reply("RRFOREIGN a value of type string"), FailureKind.ERROR_REPLY),
                row(new ForeignValueException("product:x", Region.of("us"), "a hash without a version field", null),
                        FailureKind.ERROR_REPLY),
                // this client's own load: says nothing about the server
                row(new RedisException("Request queue size exceeded: 10000. Commands are not accepted until the "
                        + "queue size drops."), FailureKind.QUEUE_FULL),
                row(new RedisException("Command buffer size exceeded: 10000."), FailureKind.QUEUE_FULL),
                // anything else is not held against the server
                row(new RedisException("Connection closed"), FailureKind.OTHER),
                row(new IllegalStateException("a bug"), FailureKind.OTHER),
                row(null, FailureKind.OTHER));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("table")
    void classify_matchesTheTable(Throwable failure, FailureKind expected) {
        assertThat(Failures.classify(failure)).isEqualTo(expected);
    }

    static Stream<Arguments> kinds() {
        return Stream.of(
                // kind, counts as failure, answered, may have run, retryable
                Arguments.of(FailureKind.UNREACHABLE, true, false, false, true),
                Arguments.of(FailureKind.NO_ANSWER, true, false, true, true),
                Arguments.of(FailureKind.TRANSIENT_REPLY, false, true, false, true),
                Arguments.of(FailureKind.ERROR_REPLY, false, true, false, false),
                Arguments.of(FailureKind.QUEUE_FULL, false, false, false, true),
                Arguments.of(FailureKind.OTHER, false, false, true, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void onlyUnreachableAndNoAnswer_countAgainstHealth_andAnErrorReplyIsAnAnswer(FailureKind kind, boolean counts,
            boolean answered, boolean mayHaveRun, boolean retryable) {
        assertThat(kind.countsAsFailure()).isEqualTo(counts);
        assertThat(kind.answered()).isEqualTo(answered);
        assertThat(kind.mayHaveRun()).isEqualTo(mayHaveRun);
        assertThat(kind.retryable()).isEqualTo(retryable);
    }

    private static Arguments row(Throwable failure, FailureKind expected) {
        return Arguments.of(failure, expected);
    }

    private static RedisCommandExecutionException reply(String message) {
        return new RedisCommandExecutionException(message);
    }
}
