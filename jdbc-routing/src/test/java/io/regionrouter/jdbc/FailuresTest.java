package io.regionrouter.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.regionrouter.jdbc.internal.Failures;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

/** What counts as "could not reach / did not answer": the classifier's table, with the shapes pgjdbc and HikariCP throw. */
class FailuresTest {

    static Stream<Arguments> failures() {
        PSQLException refused = new PSQLException("Connection to 127.0.0.1:5432 refused.", PSQLState.CONNECTION_UNABLE_TO_CONNECT,
                new ConnectException("Connection refused"));
        PSQLException loginTimedOut = new PSQLException("Connection attempt timed out.", PSQLState.CONNECTION_UNABLE_TO_CONNECT);
        PSQLException badPassword = new PSQLException("FATAL: password authentication failed for user \"app\"",
                PSQLState.INVALID_PASSWORD);
        return Stream.of(
                // unreachable: the server could not be reached or did not answer
                row("refused connect", refused, true),
                row("connect timed out", new PSQLException("The connection attempt failed.",
                        PSQLState.CONNECTION_UNABLE_TO_CONNECT, new SocketTimeoutException("connect timed out")), true),
                row("login timed out", loginTimedOut, true),
                row("socket timeout during a statement", new PSQLException("An I/O error occurred while sending to the backend.",
                        PSQLState.CONNECTION_FAILURE, new SocketTimeoutException("Read timed out")), true),
                row("broken link", new PSQLException("An I/O error occurred while sending to the backend.",
                        PSQLState.CONNECTION_FAILURE, new SocketException("Connection reset")), true),
                row("server gone during login", new PSQLException("The connection attempt failed.",
                        PSQLState.CONNECTION_UNABLE_TO_CONNECT, new EOFException()), true),
                row("unknown host", new PSQLException("The connection attempt failed.",
                        PSQLState.CONNECTION_UNABLE_TO_CONNECT, new UnknownHostException("db.eu.internal")), true),
                row("TLS handshake cut by the network", new PSQLException("SSL error", PSQLState.CONNECTION_FAILURE,
                        handshake("Remote host terminated the handshake", new EOFException())), true),
                row("HikariCP timeout caused by a refused connect", hikariTimeout(refused), true),
                row("HikariCP timeout caused by a login timeout", hikariTimeout(loginTimedOut), true),
                row("batch cut by a broken link", batch(new PSQLException("An I/O error occurred while sending to the backend.",
                        PSQLState.CONNECTION_FAILURE, new SocketException("Broken pipe"))), true),
                // answered: the server said something, or the pool was merely busy
                row("HikariCP timeout of an exhausted pool", hikariTimeout(null), false),
                row("syntax error 42601", new PSQLException("syntax error at or near \"SELEC\"", PSQLState.SYNTAX_ERROR), false),
                row("unique violation 23505", new PSQLException("duplicate key value", PSQLState.UNIQUE_VIOLATION), false),
                row("division by zero 22012", new PSQLException("division by zero", PSQLState.DIVISION_BY_ZERO), false),
                row("bad password 28P01", badPassword, false),
                row("HikariCP timeout caused by a bad password", hikariTimeout(badPassword), false),
                row("invalid authorization 28000", new SQLException("no pg_hba.conf entry", "28000"), false),
                row("too many connections 53300", new SQLException("FATAL: sorry, too many clients already", "53300"), false),
                row("HikariCP timeout caused by too many connections",
                        hikariTimeout(new SQLException("FATAL: sorry, too many clients already", "53300")), false),
                row("starting up 57P03", new SQLException("FATAL: the database system is starting up", "57P03"), false),
                row("query timeout 57014", new PSQLException("canceling statement due to user request",
                        PSQLState.QUERY_CANCELED), false),
                row("connection closed by the application 08003", new PSQLException("This connection has been closed.",
                        PSQLState.CONNECTION_DOES_NOT_EXIST), false),
                row("certificate refused", new PSQLException("SSL error", PSQLState.CONNECTION_FAILURE,
                        handshake("PKIX path building failed", null)), false),
                row("pool closed", new SQLException("HikariDataSource HikariDataSource (region-router-eu) has been closed."), false),
                row("null", null, false));
    }

    private static Arguments row(String name, Throwable failure, boolean unreachable) {
        return Arguments.of(name, failure, unreachable);
    }

    /** The shape of HikariCP's "request timed out": state and cause from the pool's last connect failure, if any. */
    private static SQLException hikariTimeout(SQLException lastConnectFailure) {
        SQLTransientConnectionException e = new SQLTransientConnectionException(
                "region-router-eu - Connection is not available, request timed out after 2001ms (total=1, active=1, idle=0,"
                        + " waiting=0)", lastConnectFailure == null ? null : lastConnectFailure.getSQLState(), lastConnectFailure);
        if (lastConnectFailure != null) {
            e.setNextException(lastConnectFailure);
        }
        return e;
    }

    private static SSLHandshakeException handshake(String message, Throwable cause) {
        SSLHandshakeException e = new SSLHandshakeException(message);
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    private static SQLException batch(SQLException next) {
        BatchUpdateException e = new BatchUpdateException("Batch entry 0 INSERT INTO orders was aborted", "08006", new int[0]);
        e.setNextException(next);
        return e;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void isUnreachable_countsOnlyWhatCouldNotReachTheServerOrGotNoAnswer(String name, Throwable failure, boolean unreachable) {
        assertThat(Failures.isUnreachable(failure)).as(name).isEqualTo(unreachable);
    }
}
