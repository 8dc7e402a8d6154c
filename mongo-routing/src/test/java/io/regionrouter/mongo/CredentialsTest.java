package io.regionrouter.mongo;

import io.regionrouter.mongo.internal.Credentials;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CredentialsTest {

    @Test
    void mask_hidesPasswordButKeepsUserAndHosts() {
        assertThat(Credentials.mask("mongodb://app:s3cr%40t@h1:27017,h2/app?replicaSet=rs0"))
                .isEqualTo("mongodb://app:****@h1:27017,h2/app?replicaSet=rs0");
    }

    @Test
    void mask_handlesUnescapedAtInPasswordAndSrv() {
        assertThat(Credentials.mask("mongodb+srv://app:p@ss@cluster.example/db"))
                .isEqualTo("mongodb+srv://app:****@cluster.example/db");
    }

    @Test
    void mask_hidesSecretOptions() {
        assertThat(Credentials.mask("mongodb://h/?tlsCertificateKeyFilePassword=abc&appName=x&authMechanismProperties=AWS_SESSION_TOKEN:t"))
                .isEqualTo("mongodb://h/?tlsCertificateKeyFilePassword=****&appName=x&authMechanismProperties=****");
    }

    @Test
    void mask_leavesUriWithoutCredentialsAlone() {
        assertThat(Credentials.mask("mongodb://user@h:1/db")).isEqualTo("mongodb://user@h:1/db");
        assertThat(Credentials.mask("mongodb://h:1/db")).isEqualTo("mongodb://h:1/db");
        assertThat(Credentials.mask(null)).isNull();
    }

    @Test
    void scrub_removesPasswordFromText() {
        assertThat(Credentials.scrub("bad port in app:hunter2@h:x", "mongodb://app:hunter2@h:x"))
                .isEqualTo("bad port in app:****@h:x");
    }
}
