package io.regionrouter.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.support.Secrets;
import io.regionrouter.core.support.Sql;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SqlAndSecretsTest {

    @Test
    void bindRegion_isSetConfigWithSessionScope() {
        assertThat(Sql.bindRegion("app.user_region", "eu-west-1"))
                .isEqualTo("SELECT set_config('app.user_region', 'eu-west-1', false)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"app.user_region", "my_app.tenant.region", "a.b"})
    void sessionSetting_acceptsCustomSettingNames(String name) {
        assertThat(Sql.sessionSetting("sessionSetting", name)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"user_region", "App.region", "app.region'); DROP TABLE x; --", "app..region", "app.region ",
            "1app.region", ""})
    void sessionSetting_rejectsAnythingElseNamingTheField(String name) {
        assertThatThrownBy(() -> Sql.sessionSetting("sessionSetting", name))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith("sessionSetting must be a custom setting name")
                .hasMessageEndingWith("but was \"" + name + "\"");
    }

    @Test
    void qualifiedName_acceptsSchemaAndRejectsInjection() {
        assertThat(Sql.qualifiedName("table", "app.orders", 30)).isEqualTo("app.orders");
        assertThatThrownBy(() -> Sql.qualifiedName("table", "orders; drop", 30)).hasMessageStartingWith("table must");
        assertThatThrownBy(() -> Sql.qualifiedName("table", "a.b.c", 30)).hasMessageStartingWith("table must");
        assertThatThrownBy(() -> Sql.identifier("table", "x".repeat(31), 30)).hasMessageContaining("at most 30");
    }

    @Test
    void columnType_rejectsQuotesSemicolonsAndComments() {
        assertThat(Sql.columnType("column.amount", "numeric(12, 2) NOT NULL")).isEqualTo("numeric(12, 2) NOT NULL");
        assertThatThrownBy(() -> Sql.columnType("column.x", "text DEFAULT 'a'")).hasMessageStartingWith("column.x must");
        assertThatThrownBy(() -> Sql.columnType("column.x", "text; DROP TABLE y")).hasMessageStartingWith("column.x must");
        assertThatThrownBy(() -> Sql.columnType("column.x", "text -- comment")).hasMessageStartingWith("column.x must");
    }

    @Test
    void literal_doublesQuotes() {
        assertThat(Sql.literal("o'brien")).isEqualTo("'o''brien'");
    }

    @Test
    void maskUrl_hidesPasswordParametersAndUserInfo() {
        assertThat(Secrets.maskUrl("jdbc:postgresql://h:5432/db?user=app&password=pw&sslmode=require"))
                .isEqualTo("jdbc:postgresql://h:5432/db?user=app&password=****&sslmode=require");
        assertThat(Secrets.maskUrl("jdbc:postgresql://h/db?sslpassword=k1;PASSWORD=k2"))
                .doesNotContain("k1").doesNotContain("k2");
        assertThat(Secrets.maskUrl("jdbc:postgresql://app:pw@h/db")).isEqualTo("jdbc:postgresql://app:****@h/db");
        assertThat(Secrets.maskUrl("jdbc:postgresql://h/db")).isEqualTo("jdbc:postgresql://h/db");
        assertThat(Secrets.maskUrl(null)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"commit", "  COMMIT;", "end", "END TRANSACTION", "Commit Prepared 'tx1'", "\ncommit\n"})
    void isCommit_recognisesStatementsThatCommit(String sql) {
        assertThat(Sql.isCommit(sql)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"committee_insert()", "endpoint", "SELECT 'commit'", "INSERT INTO t VALUES (1)", "", "rollback"})
    void isCommit_ignoresEverythingElse(String sql) {
        assertThat(Sql.isCommit(sql)).isFalse();
        assertThat(Sql.isCommit(null)).isFalse();
    }

    @Test
    void describe_namesAStatementByItsFirstWordOnly() {
        assertThat(Sql.describe("  insert into users (email) values ('alice@example.com')")).isEqualTo("an INSERT statement");
        assertThat(Sql.describe("UPDATE accounts SET password = 'secret'")).isEqualTo("an UPDATE statement")
                .doesNotContain("secret");
        assertThat(Sql.describe("SELECT 1")).isEqualTo("a SELECT statement");
        assertThat(Sql.describe(null)).isEqualTo("a statement");
        assertThat(Sql.describe("  (SELECT 1)")).isEqualTo("a statement");
    }
}
