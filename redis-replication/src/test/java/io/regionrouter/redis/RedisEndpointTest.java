package io.regionrouter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.StaticRegionDirectory;
import io.regionrouter.core.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

    /** Every URI form, malformed or not: the secret is in no message, toString or cause of the chain. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "redis//app:s3cretX@cache:6379", "redis:/app:s3cretX@cache:6379", "redis:app:s3cretX@cache:6379",
        "rediss//:s3cretX@cache:6380", "rediss:/:s3cretX@cache:6380", "redis:///app:s3cretX@cache",
        "REDIS://app:s3cretX@cache:6379", " redis://app:s3cretX@cache:6379", "redis://app:s3c@retX@cache:6379",
        "redis://app:s3cretX@bad host:6379", "redis://:s3cretX@cache:notaport", "redis://app:s3cretX@",
        "redis-sentinel://app:s3cretX@cache:26379", "http://app:s3cretX@cache", "app:s3cretX@cache:6379",
        ":s3cretX@cache", "redis://cache:6379?password=s3cretX", "redis//cache?password=s3cretX&db=1",
        "redis://app:s3c/retX@cache", "redis://app:s3c?retX@cache"})
    void malformedOrNot_theSecretIsMaskedInEveryMessageAndCause(String uri) {
        String secret = uri.contains("s3c@retX") ? "retX" : uri.contains("s3c/retX") || uri.contains("s3c?retX")
                ? "retX" : "s3cretX";
        RegionRouter router = RegionRouter.builder(Topology.builder().regions("us").local("us").primary("us").build())
                .directory(StaticRegionDirectory.builder().build()).health(RegionHealth.builder().build()).build();
        Throwable direct = catchThrowable(() -> RedisEndpoint.standalone(uri));
        Throwable viaBuilder = catchThrowable(() -> RegionalRedis.builder(router).region("us", uri));
        for (Throwable thrown : new Throwable[] {direct, viaBuilder}) {
            if (thrown == null) {
                continue;
            }
            for (Throwable t = thrown; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).as(uri).doesNotContain(secret);
                assertThat(t.toString()).as(uri).doesNotContain(secret);
            }
        }
        if (direct == null) {
            RedisEndpoint e = RedisEndpoint.standalone(uri);
            assertThat(e.toString()).doesNotContain(secret);
            assertThat(e.maskedUri()).doesNotContain(secret);
        }
        assertThat(RedisEndpoint.mask(uri)).as(uri).doesNotContain(secret);
    }
}
