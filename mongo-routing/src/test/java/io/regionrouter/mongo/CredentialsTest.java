package io.regionrouter.mongo;

import io.regionrouter.mongo.internal.Credentials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
        assertThat(Credentials.mask("mongodb://h1:27017,[::1]:27018,h3/db")).isEqualTo("mongodb://h1:27017,[::1]:27018,h3/db");
        assertThat(Credentials.mask(null)).isNull();
    }

    /** Every form, well-formed or not: the password never survives, the rest stays readable. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            mongodb://app:hunter2@h/db                  | mongodb://app:****@h/db
            mongodb:/app:hunter2@h/db                   | mongodb:/app:****@h/db
            mongodb//app:hunter2@h/db                   | mongodb//app:****@h/db
            mongodb:app:hunter2@h/db                    | mongodb:app:****@h/db
            mongodb:///app:hunter2@h/db                 | mongodb:///app:****@h/db
            mongodb+srv:app:hunter2@h/db                | mongodb+srv:app:****@h/db
            mongodb+srv:/app:hunter2@h/db               | mongodb+srv:/app:****@h/db
            mongodb+srv//app:hunter2@h/db               | mongodb+srv//app:****@h/db
            mongodb+srv://app:hun@ter2@h/db             | mongodb+srv://app:****@h/db
            mongodb+srv:app:hun@ter2@h/db               | mongodb+srv:app:****@h/db
            mongodb:/app:hun@ter2@h                     | mongodb:/app:****@h
            MONGODB://app:hunter2@h/db                  | MONGODB://app:****@h/db
            `  mongodb://app:hunter2@h/db`              | `  mongodb://app:****@h/db`
            mongodb://app:hun/ter2@h/db                 | mongodb://app:****@h/db
            mongodb://app:hun?ter2@h/db                 | mongodb://app:****@h/db
            mongodb://app:hun:ter2@h/db                 | mongodb://app:****@h/db
            mongodb://:hunter2@h/db                     | mongodb://:****@h/db
            app:hunter2@h/db                            | app:****@h/db
            http://app:hunter2@h/db                     | http://app:****@h/db
            mongodb://app:hunter2/db                    | mongodb://app:****/db
            mongodb://app:hunter2                       | mongodb://app:****
            mongodb+srv:app:hunter2                     | mongodb+srv:app:****
            mongodb://h1:27017,app:hun:ter2/db          | mongodb://h1:27017,app:****/db
            mongodb://[::1]:hunter2/db                  | mongodb://[::1]:****/db
            mongodb:/h/db?password=hunter2&w=1          | mongodb:/h/db?password=****&w=1
            """)
    void mask_everyForm(String uri, String masked) {
        assertThat(Credentials.mask(uri)).isEqualTo(masked).doesNotContain("hunter2").doesNotContain("ter2");
    }

    @Test
    void scrub_removesPasswordFromText() {
        assertThat(Credentials.scrub("bad port in app:hunter2@h:x", "mongodb://app:hunter2@h:x"))
                .isEqualTo("bad port in app:****@h:x");
    }

    @Test
    void scrub_removesDecodedPasswordOddPortsAndQuotedFragments() {
        assertThat(Credentials.scrub("auth failed for p@ss", "mongodb://app:p%40ss@h/db")).isEqualTo("auth failed for ****");
        assertThat(Credentials.scrub("invalid port 'hunter2'", "mongodb://app:hunter2/db")).isEqualTo("invalid port '****'");
        assertThat(Credentials.scrub("Error at index 0 in: \"ZZ\"", "mongodb://app:hun%ZZter2@h/db"))
                .isEqualTo("Error at index 0 in: \"****\"");
        assertThat(Credentials.scrub("option tlsCertificateKeyFilePassword=abc123 is bad",
                "mongodb://h/?tlsCertificateKeyFilePassword=abc123")).doesNotContain("abc123");
        assertThat(Credentials.scrub("no secret here", "mongodb://h/db")).isEqualTo("no secret here");
        assertThat(Credentials.scrub(null, "mongodb://h/db")).isNull();
    }
}
