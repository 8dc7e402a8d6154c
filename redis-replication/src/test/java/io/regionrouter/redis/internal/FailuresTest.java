package io.regionrouter.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisLoadingException;
import io.lettuce.core.RedisReadOnlyException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class FailuresTest {

    @Test
    void isCommandError_trueForAReplyThatRetryingCannotFix() {
        assertThat(Failures.isCommandError(new RedisCommandExecutionException(
                "WRONGTYPE Operation against a key holding the wrong kind of value"))).isTrue();
        assertThat(Failures.isCommandError(new CompletionException(
                new RedisCommandExecutionException("ERR user_script:1: bad")))).isTrue();
    }

    @Test
    void isCommandError_falseForTransientServerStates_soAReplayedHintIsKeptForTheNextRound() {
        assertThat(Failures.isCommandError(new RedisReadOnlyException(
                "READONLY You can't write against a read only replica."))).isFalse();
        assertThat(Failures.isCommandError(new RedisLoadingException(
                "LOADING Redis is loading the dataset in memory"))).isFalse();
        assertThat(Failures.isCommandError(new RedisBusyException(
                "BUSY Redis is busy running a script."))).isFalse();
        assertThat(Failures.isCommandError(new RedisCommandExecutionException(
                "OOM command not allowed when used memory > 'maxmemory'."))).isFalse();
        assertThat(Failures.isCommandError(new CompletionException(new RedisCommandExecutionException(
                "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.")))).isFalse();
        assertThat(Failures.isCommandError(new RedisCommandExecutionException("TRYAGAIN Multiple keys request")))
                .isFalse();
        assertThat(Failures.isCommandError(new RedisCommandTimeoutException("Command timed out"))).isFalse();
    }
}
