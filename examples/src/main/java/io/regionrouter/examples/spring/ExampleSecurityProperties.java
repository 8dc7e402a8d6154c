package io.regionrouter.examples.spring;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code example.security.*} settings: the users the example lets in with HTTP Basic, one
 * {@code example.security.users.<name>=<password>} each. They stand in for an identity provider,
 * so that the example runs on its own; see {@link SecurityConfiguration}.
 *
 * <p>Keep passwords out of the file: take them from the environment
 * ({@code example.security.users.alice=${ALICE_PASSWORD}}), or store them already encoded, as
 * Spring Security's {@code DelegatingPasswordEncoder} writes them ({@code {bcrypt}$2a$10$...}); a
 * value that starts with such an <code>{id}</code> prefix is kept as it is, any other value is
 * encoded with bcrypt at startup. Neither is ever printed: {@link #toString()} names the users only.
 *
 * @param users each user's name and password; names follow {@link UserIds#RULE}
 */
@ConfigurationProperties("example.security")
public record ExampleSecurityProperties(Map<String, String> users) {

    /** Checks each user's name and password. */
    public ExampleSecurityProperties {
        users = users == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(users));
        users.forEach((name, password) -> {
            if (!UserIds.isValid(name)) {
                throw new IllegalArgumentException("example.security.users keys must match " + UserIds.RULE
                        + ", but was " + UserIds.quote(name));
            }
            if (password == null || password.isBlank()) {
                throw new IllegalArgumentException("example.security.users." + name
                        + " must be a password, but was blank");
            }
        });
    }

    /** Returns whether a configured password is already encoded, with an {@code {id}} prefix. */
    static boolean isEncoded(String password) {
        int end = password.indexOf('}');
        return password.startsWith("{") && end > 1;
    }

    @Override
    public String toString() {
        return "ExampleSecurityProperties[users=" + users.keySet() + ", passwords=****]";
    }
}
