package io.regionrouter.redis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.AclSetuserArgs;
import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.redis.AckPolicy;
import io.regionrouter.redis.RegionalRedis;
import io.regionrouter.redis.RegionalRedisConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * TLS by default, plaintext only when asked for and then loudly. The endpoints carry a password (an
 * ACL user on the testkit's servers), which must appear in no message, cause and log line.
 */
class PlaintextEndpointIT extends ThreeRegionsBase {

    private static final String PASSWORD = "s3cret-pw-7f1c";

    private static String withPassword(String region) {
        return "redis://app:" + PASSWORD + "@127.0.0.1:" + SERVERS.region(region).redis().port();
    }

    private static String masked(String region) {
        return "redis://***@127.0.0.1:" + SERVERS.region(region).redis().port();
    }

    private static String everythingAbout(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    @AfterEach
    void dropUser() {
        for (String r : ALL) {
            fixture.direct(r).aclDeluser("app");
        }
    }

    @Test
    void plaintextEndpoint_withoutOptIn_failsAtBuild_namingFieldAndMaskedEndpoint_loopbackIncluded() {
        RegionRouter router = fixture.router("us");
        RegionalRedisConfig config = fixture.config().allowPlaintext(false).build();
        RegionalRedis.Builder<String> builder = RegionalRedis.builder(router).config(config)
                .region("us", "rediss://app:" + PASSWORD + "@us-cache.example:6380")
                .region("eu", withPassword("eu"))
                .region("ap", withPassword("ap"));

        assertThatThrownBy(builder::build)
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> {
                    assertThat(e.field()).isEqualTo("redis.endpoint.eu");
                    assertThat(e.value()).isEqualTo(masked("eu"));
                    assertThat(e.getMessage()).isEqualTo("redis.endpoint.eu must use rediss:// (TLS), but was \""
                            + masked("eu") + "\" (plaintext too: [ap]); to send commands, values and the password"
                            + " unencrypted, opt in with RegionalRedisConfig.Builder.allowPlaintext(true)"
                            + " (redis.allowPlaintext)");
                    assertThat(everythingAbout(e)).as("message, causes and stack").doesNotContain(PASSWORD);
                });
    }

    @Test
    void plaintextEndpoint_withOptIn_warnsNamingEachEndpointWithoutThePassword_andWorks() {
        for (String r : ALL) {
            fixture.direct(r).aclSetuser("app",
                    AclSetuserArgs.Builder.on().addPassword(PASSWORD).allKeys().allCommands().allChannels());
        }
        RegionRouter router = fixture.router("us");
        String log;
        RegionalRedis<String> redis;
        try (LogCapture capture = LogCapture.start()) {
            RegionalRedis.Builder<String> builder = RegionalRedis.builder(router)
                    .config(fixture.config().allowPlaintext(true).build());
            for (String r : ALL) {
                builder.region(r, withPassword(r));
            }
            redis = builder.build();
            redis.set("product:1", "lamp", AckPolicy.ALL);
            log = capture.text();
        }
        try {
            for (String r : ALL) {
                assertThat(log).contains("WARN io.regionrouter.redis.internal.TransportSecurity - [redis us] endpoint of"
                        + " region " + r + " is plaintext: " + masked(r) + " (redis.allowPlaintext=true); commands,"
                        + " values and the password cross the network unencrypted");
            }
            assertThat(log).doesNotContain(PASSWORD);
            for (String r : ALL) {
                assertThat(fixture.direct(r).hget("product:1", "d")).as("written in " + r + " as user app")
                        .isEqualTo("lamp");
            }
        } finally {
            redis.close();
        }
    }
}
