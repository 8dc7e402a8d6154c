package io.regionrouter.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SessionStatementsTest {

    @ParameterizedTest
    @ValueSource(strings = {"SET app.user_region = 'us'", "  set session app.user_region to 'us'", "SELECT set_config('x', 'y', false)",
        "select PG_CATALOG.SET_CONFIG('x','y',false)", "RESET ALL", "reset app.user_region", "DISCARD ALL",
        "SET ROLE other", "SET SESSION AUTHORIZATION other", "DO $$BEGIN NULL; END$$", "CALL p()", "LOAD 'x'",
        "SELECT 1; SET x = 1", "/* c */ SET x = 1", "-- c\nSET x = 1", "/* a /* b */ */ SET x = 1", "(SET x = 1)",
        "UPDATE pg_settings SET setting = 'us'", "SELECT U&\"\\0073et_config\"('x','y',false)", "SET statement_timeout = 0"})
    void mayChangeSession(String sql) {
        assertThat(SessionStatements.mayChangeSession(sql)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT current_setting('app.user_region')", "UPDATE orders SET item = 'x'", "SELECT 1",
        "INSERT INTO t (settings) VALUES ('reset')", "SET LOCAL statement_timeout = '5s'", "SET TRANSACTION READ ONLY",
        "CREATE DOMAIN d AS text", "", "BEGIN", "COMMIT"})
    void leavesTheSessionAlone(String sql) {
        assertThat(SessionStatements.mayChangeSession(sql)).isFalse();
    }
}
