package io.regionrouter.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Region;
import io.regionrouter.redis.RedisEndpoint;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransportSecurityTest {

    private static final Region US = Region.of("us");
    private static final Region EU = Region.of("eu");

    private static Map<Region, RedisEndpoint> endpoints(String us, String eu) {
        Map<Region, RedisEndpoint> m = new LinkedHashMap<>();
        m.put(US, RedisEndpoint.standalone(us));
        m.put(EU, RedisEndpoint.standalone(eu));
        return m;
    }

    /** Runs {@code check} and returns what it logged (slf4j-simple writes to the current System.err). */
    private static String logged(Runnable check) {
        PrintStream original = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            check.run();
        } finally {
            System.setErr(original);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void tlsEverywhere_passesSilently() {
        assertThat(logged(() -> TransportSecurity.check(endpoints("rediss://:pw@us:6380", "rediss://eu:6380"), false,
                US))).isEmpty();
    }

    @Test
    void plaintextLoopback_withoutOptIn_isRefusedLikeAnyOther() {
        assertThatThrownBy(() -> TransportSecurity.check(endpoints("redis://:pw-1@127.0.0.1:6379",
                "rediss://eu:6380"), false, US))
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> {
                    assertThat(e.field()).isEqualTo("redis.endpoint.us");
                    assertThat(e.value()).isEqualTo("redis://***@127.0.0.1:6379");
                    assertThat(e.getCause()).isNull();
                })
                .hasMessageStartingWith("redis.endpoint.us must use rediss:// (TLS), but was \"redis://***@127.0.0.1:6379\";")
                .hasMessageNotContaining("pw-1");
    }

    @Test
    void tlsWithoutPeerVerification_isTheUsersExplicitChoice_andWarned() {
        String log = logged(() -> TransportSecurity.check(endpoints("rediss://:pw-2@us:6380?verifyPeer=NONE",
                "rediss://eu:6380"), false, US));
        assertThat(log).contains("WARN").contains("endpoint of region us is TLS with certificate verification NONE:"
                + " rediss://***@us:6380?verifyPeer=NONE").doesNotContain("pw-2").doesNotContain("region eu");
    }
}
