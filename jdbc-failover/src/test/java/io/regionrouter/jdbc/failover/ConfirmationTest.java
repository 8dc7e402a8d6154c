package io.regionrouter.jdbc.failover;

import static io.regionrouter.jdbc.failover.FailoverGroupTest.PRIMARY;
import static org.assertj.core.api.Assertions.assertThat;

import io.regionrouter.jdbc.failover.internal.Confirmation;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfirmationTest {

    private final StubAdmin admin = new StubAdmin();
    private final Confirmation confirmation = new Confirmation(admin, 3, Duration.ofMillis(100), Duration.ZERO);

    @Test
    void everyProbeFailing_confirmsTheFailure() throws InterruptedException {
        assertThat(confirmation.confirm(PRIMARY, () -> false)).isEmpty();
        assertThat(admin.pings).hasSize(3);
    }

    @Test
    void oneAnswer_callsTheFailoverOff() throws InterruptedException {
        admin.answerOnPing = 2;
        assertThat(confirmation.confirm(PRIMARY, () -> false)).hasValueSatisfying(reason ->
                assertThat(reason).isEqualTo("us-primary answered confirmation probe 2 of 3; the DOWN was not confirmed"));
        assertThat(admin.pings).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"53300", "28P01", "57P03", "42601"})
    void aServerAnsweringWithAnySqlError_isAlive_andCallsTheFailoverOff(String sqlState) throws InterruptedException {
        admin.pingError = new java.sql.SQLException("server said no", sqlState);
        assertThat(confirmation.confirm(PRIMARY, () -> false)).hasValueSatisfying(reason -> assertThat(reason)
                .isEqualTo("us-primary answered confirmation probe 1 of 3 with an error (SQLSTATE " + sqlState
                        + "); a server that answers is alive, the DOWN was not confirmed"));
        assertThat(admin.pings).hasSize(1);
    }

    @Test
    void aConnectTimeout_countsAsNoAnswer() throws InterruptedException {
        admin.pingError = new java.sql.SQLException("The connection attempt failed.", "08001", new java.net.SocketTimeoutException());
        assertThat(confirmation.confirm(PRIMARY, () -> false)).isEmpty();
        assertThat(admin.pings).hasSize(3);
    }

    @Test
    void aSimulatedOutage_confirmsWithoutProbingTheLivePrimary() throws InterruptedException {
        admin.answerOnPing = 1;
        assertThat(confirmation.confirm(PRIMARY, () -> true)).isEmpty();
        assertThat(admin.pings).isEmpty();
    }

    @Test
    void zeroConfirmations_confirmAtOnce() throws InterruptedException {
        admin.answerOnPing = 1;
        assertThat(new Confirmation(admin, 0, Duration.ofMillis(100), Duration.ZERO).confirm(PRIMARY, () -> false)).isEmpty();
        assertThat(admin.pings).isEmpty();
    }
}
