package io.regionrouter.jdbc.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.jdbc.failover.internal.PromoteOnce;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Promotion is idempotent: a standby promoted by someone else counts as promoted. */
class PromoteOnceTest {

    private static final PgEndpoint STANDBY = new PgEndpoint("us-standby", FailoverFixture.US,
            "jdbc:postgresql://127.0.0.1:1/postgres", "postgres", "secret").allowingPlaintext();

    private final StubAdmin admin = new StubAdmin();

    @Test
    void aStandbyInRecovery_isPromoted() throws SQLException {
        admin.writableLsn = -1; // in recovery
        assertThat(PromoteOnce.promote(admin, STANDBY, Duration.ofSeconds(1))).isTrue();
        assertThat(admin.promotes).containsExactly("us-standby");
    }

    @Test
    void anAlreadyPromotedStandby_countsAsPromoted_withoutCallingPgPromote() throws SQLException {
        admin.writableLsn = 42; // not in recovery
        assertThat(PromoteOnce.promote(admin, STANDBY, Duration.ofSeconds(1))).isFalse();
        assertThat(admin.promotes).isEmpty();
    }

    @Test
    void recoveryIsNotInProgress_fromARacingPromoter_countsAsPromoted() throws SQLException {
        admin.writableLsn = -1;
        admin.promoteError = new SQLException("recovery is not in progress", "55000") {
            private static final long serialVersionUID = 1L;
        };
        // the other promoter finished between our check and our pg_promote
        StubAdmin racing = new StubAdmin() {
            private int checks;

            @Override
            public boolean isInRecovery(PgEndpoint endpoint) {
                return checks++ == 0;
            }
        };
        racing.promoteError = admin.promoteError;
        assertThat(PromoteOnce.promote(racing, STANDBY, Duration.ofSeconds(1))).isFalse();
        assertThat(racing.promotes).containsExactly("us-standby");
    }

    @Test
    void anyOtherError_orATimeout_fails() {
        admin.writableLsn = -1;
        admin.promoteError = new SQLException("permission denied", "42501");
        assertThatThrownBy(() -> PromoteOnce.promote(admin, STANDBY, Duration.ofSeconds(1))).isInstanceOf(SQLException.class)
                .hasMessage("permission denied");
        admin.promoteError = null;
        admin.promoteFinishes = false;
        assertThatThrownBy(() -> PromoteOnce.promote(admin, STANDBY, Duration.ofSeconds(1))).isInstanceOf(SQLException.class)
                .hasMessage("pg_promote did not finish within PT1S");
    }
}
