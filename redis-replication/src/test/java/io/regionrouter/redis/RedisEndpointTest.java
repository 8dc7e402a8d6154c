package io.regionrouter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RedisEndpointTest {

    @Test
    void toString_masksPassword() {
        RedisEndpoint e = RedisEndpoint.standalone("redis://user:s3cret@cache:6379/0");
        assertThat(e.toString()).doesNotContain("s3cret").contains("cache:6379");
        assertThat(e.maskedUri()).isEqualTo("redis://***@cache:6379/0");
    }

    @Test
    void rejectsNonRedisUriWithoutLeakingPassword() {
        assertThatThrownBy(() -> RedisEndpoint.standalone("http://u:s3cret@host"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("endpoint.uri must start with redis://")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void rejectsMalformedRedisUriWithoutLeakingPassword() {
        assertThatThrownBy(() -> RedisEndpoint.standalone("redis://:s3cret@bad host:6379"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("endpoint.uri")
                .hasMessageNotContaining("s3cret")
                .satisfies(e -> assertThat(e.getCause()).isNull());
    }

    @Test
    void tls_isTrueForRedissOnly() {
        assertThat(RedisEndpoint.standalone("rediss://cache:6380").tls()).isTrue();
        assertThat(RedisEndpoint.standalone("redis://cache:6379").tls()).isFalse();
        assertThat(RedisEndpoint.standalone("redis://127.0.0.1:6379").tls()).as("loopback is still plaintext").isFalse();
    }
}
