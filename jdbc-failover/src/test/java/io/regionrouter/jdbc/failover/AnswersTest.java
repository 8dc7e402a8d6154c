package io.regionrouter.jdbc.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.regionrouter.jdbc.failover.internal.Answers;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Only "could not reach" and "did not answer" mean a server is down; any answer means it is alive. */
class AnswersTest {

    @ParameterizedTest
    @ValueSource(strings = {"53300", "28P01", "57P03", "42601", "25006", "55000"})
    void anSqlErrorFromTheServer_isAnAnswer(String sqlState) {
        assertThat(Answers.isUnreachable(new SQLException("the server said no", sqlState))).isFalse();
    }

    @Test
    void connectFailures_timeouts_andBrokenLinks_areNoAnswer() {
        assertThat(Answers.isUnreachable(new SQLException("refused", "08001", new ConnectException("refused")))).isTrue();
        assertThat(Answers.isUnreachable(new SQLException("I/O error", "08006", new SocketTimeoutException("read timed out")))).isTrue();
        assertThat(Answers.isUnreachable(new TimeoutException("no answer within 200 ms"))).isTrue();
        assertThat(Answers.isUnreachable(new java.io.EOFException())).isTrue();
    }

    @Test
    void aRejectedCertificate_isAnAnswer() {
        assertThat(Answers.isUnreachable(new SQLException("SSL error", null, new SSLHandshakeException("bad certificate")))).isFalse();
        assertThat(Answers.isUnreachable(new SQLException("SSL error", "08006", new SSLHandshakeException("bad certificate")))).isFalse();
    }
}
