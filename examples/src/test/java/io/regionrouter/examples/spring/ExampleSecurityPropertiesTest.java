package io.regionrouter.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ExampleSecurityPropertiesTest {

    @Test
    void toString_namesTheUsersButNoPassword() {
        ExampleSecurityProperties properties = new ExampleSecurityProperties(Map.of("alice", "s3cret-Pa55"));

        assertThat(properties.toString()).contains("alice").doesNotContain("s3cret-Pa55");
    }

    @Test
    void missingUsers_areAnEmptyStore() {
        assertThat(new ExampleSecurityProperties(null).users()).isEmpty();
    }

    @Test
    void userName_mustBeAPlainUserId() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ExampleSecurityProperties(Map.of("Alice\r\nX", "pw")))
                .withMessage("example.security.users keys must match " + UserIds.RULE
                        + ", but was \"Alice\\u000d\\u000aX\"");
    }

    @Test
    void blankPassword_isRefusedWithoutEchoingIt() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ExampleSecurityProperties(Map.of("alice", "  ")))
                .withMessage("example.security.users.alice must be a password, but was blank");
    }

    @Test
    void encodedPassword_isRecognisedByItsIdPrefix() {
        assertThat(ExampleSecurityProperties.isEncoded("{bcrypt}$2a$10$abc")).isTrue();
        assertThat(ExampleSecurityProperties.isEncoded("{}abc")).isFalse();
        assertThat(ExampleSecurityProperties.isEncoded("plain")).isFalse();
    }
}
