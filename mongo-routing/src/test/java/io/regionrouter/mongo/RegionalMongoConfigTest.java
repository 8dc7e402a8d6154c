package io.regionrouter.mongo;

import com.mongodb.ReadPreference;
import com.mongodb.WriteConcern;
import io.regionrouter.core.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link RegionalMongoConfig}: defaults, validation naming the setting and the value, toString, toBuilder. */
class RegionalMongoConfigTest {

    @Test
    void defaults_areTheLibrarysDefaults() {
        RegionalMongoConfig config = RegionalMongoConfig.defaults();

        assertThat(config.database()).isEmpty();
        assertThat(config.regionTag()).isEqualTo("region");
        assertThat(config.regionField()).isEqualTo("region");
        assertThat(config.readPreference()).isEmpty();
        assertThat(config.writeConcern()).isEqualTo(new WriteConcern("majority").withJournal(true)
                .withWTimeout(5000, TimeUnit.MILLISECONDS));
        assertThat(config.serverSelectionTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.operationTimeout()).contains(Duration.ofSeconds(10));
        assertThat(config.applicationName()).isEqualTo("region-router");
        assertThat(config.moveFences()).isFalse();
    }

    @Test
    @SuppressWarnings("deprecation")
    void oldConstants_areAliasesOfTheConfigs() {
        assertThat(RegionalMongoClients.DEFAULT_WRITE_CONCERN).isEqualTo(RegionalMongoConfig.DEFAULT_WRITE_CONCERN);
        assertThat(RegionalMongoClients.DEFAULT_WTIMEOUT).isEqualTo(RegionalMongoConfig.DEFAULT_WTIMEOUT);
        assertThat(RegionalMongoClients.DEFAULT_SERVER_SELECTION_TIMEOUT)
                .isEqualTo(RegionalMongoConfig.DEFAULT_SERVER_SELECTION_TIMEOUT);
        assertThat(RegionalMongoClients.DEFAULT_CONNECT_TIMEOUT).isEqualTo(RegionalMongoConfig.DEFAULT_CONNECT_TIMEOUT);
        assertThat(RegionalMongoClients.DEFAULT_OPERATION_TIMEOUT).isEqualTo(RegionalMongoConfig.DEFAULT_OPERATION_TIMEOUT);
        assertThat(RegionalMongoClients.DEFAULT_APPLICATION_NAME).isEqualTo(RegionalMongoConfig.DEFAULT_APPLICATION_NAME);
        assertThat(RegionalMongoClients.DEFAULT_REGION_TAG).isEqualTo(RegionalMongoConfig.DEFAULT_REGION_TAG);
    }

    @Test
    void everySetting_isKept() {
        RegionalMongoConfig config = RegionalMongoConfig.builder().database("app").regionTag("dc").regionField("home")
                .writeConcern(WriteConcern.W2).serverSelectionTimeout(Duration.ofMillis(1500))
                .connectTimeout(Duration.ofMillis(700)).operationTimeout(Duration.ofSeconds(3))
                .applicationName("billing").moveFences(true).build();

        assertThat(config.database()).contains("app");
        assertThat(config.regionTag()).isEqualTo("dc");
        assertThat(config.regionField()).isEqualTo("home");
        assertThat(config.writeConcern()).isEqualTo(WriteConcern.W2);
        assertThat(config.serverSelectionTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofMillis(700));
        assertThat(config.operationTimeout()).contains(Duration.ofSeconds(3));
        assertThat(config.applicationName()).isEqualTo("billing");
        assertThat(config.moveFences()).isTrue();
        assertThat(RegionalMongoConfig.builder().readPreference(ReadPreference.primary()).build().readPreference())
                .contains(ReadPreference.primary());
        assertThat(RegionalMongoConfig.builder().operationTimeout(null).build().operationTimeout())
                .as("null disables the client-side timeout").isEmpty();
    }

    @Test
    void toBuilder_keepsEverySetting_andLeavesTheOriginalAlone() {
        RegionalMongoConfig original = RegionalMongoConfig.builder().database("app").regionField("home")
                .operationTimeout(null).moveFences(true).build();

        RegionalMongoConfig copy = original.toBuilder().applicationName("billing").build();

        assertThat(copy.toString()).isEqualTo(original.toString()
                .replace("applicationName=region-router (default)", "applicationName=billing"));
        assertThat(original.applicationName()).isEqualTo("region-router");
    }

    @Test
    void toString_showsEverySetting_andMarksDefaults() {
        assertThat(RegionalMongoConfig.defaults().toString()).isEqualTo("RegionalMongoConfig[database=(from connection"
                + " string), regionTag=region, regionField=region, readPreference=(nearest, local tag first),"
                + " writeConcern=" + RegionalMongoConfig.DEFAULT_WRITE_CONCERN + " (default),"
                + " serverSelectionTimeout=PT5S (default), connectTimeout=PT5S (default),"
                + " operationTimeout=PT10S (default), applicationName=region-router (default), moveFences=false]");
        assertThat(RegionalMongoConfig.builder().database("app").operationTimeout(null).connectTimeout(Duration.ofSeconds(5))
                .build().toString())
                .contains("database=app", "operationTimeout=disabled,", "connectTimeout=PT5S,");
    }

    @Test
    void badValues_failAtOnce_namingTheSettingAndTheValue() {
        assertInvalid(() -> RegionalMongoConfig.builder().database("a.b"), "database", "a.b",
                "database must be a non-blank name without '.' or spaces, but was \"a.b\"");
        assertInvalid(() -> RegionalMongoConfig.builder().database(null), "database", null,
                "database must be a non-blank name without '.' or spaces, but was null");
        assertInvalid(() -> RegionalMongoConfig.builder().regionTag(" "), "regionTag", " ",
                "regionTag must not be blank, but was \" \"");
        assertInvalid(() -> RegionalMongoConfig.builder().regionField("meta.region"), "regionField", "meta.region",
                "regionField must be a top-level field name (no '.', not starting with '$'), but was \"meta.region\"");
        assertInvalid(() -> RegionalMongoConfig.builder().regionField("$region"), "regionField", "$region",
                "regionField must be a top-level field name (no '.', not starting with '$'), but was \"$region\"");
        assertInvalid(() -> RegionalMongoConfig.builder().readPreference(null), "readPreference", null,
                "readPreference must not be null, but was null");
        assertInvalid(() -> RegionalMongoConfig.builder().writeConcern(null), "writeConcern", null,
                "writeConcern must not be null, but was null");
        assertInvalid(() -> RegionalMongoConfig.builder().serverSelectionTimeout(Duration.ZERO),
                "serverSelectionTimeout", "PT0S", "serverSelectionTimeout must be > 0, but was PT0S");
        assertInvalid(() -> RegionalMongoConfig.builder().serverSelectionTimeout(Duration.ofMinutes(11)),
                "serverSelectionTimeout", "PT11M", "serverSelectionTimeout must be <= PT10M, but was PT11M");
        assertInvalid(() -> RegionalMongoConfig.builder().connectTimeout(Duration.ofMillis(-1)),
                "connectTimeout", "PT-0.001S", "connectTimeout must be > 0, but was PT-0.001S");
        assertInvalid(() -> RegionalMongoConfig.builder().connectTimeout(Duration.ofHours(1)),
                "connectTimeout", "PT1H", "connectTimeout must be <= PT5M, but was PT1H");
        assertInvalid(() -> RegionalMongoConfig.builder().operationTimeout(Duration.ofDays(2)),
                "operationTimeout", "PT48H", "operationTimeout must be <= PT1H, but was PT48H");
        assertInvalid(() -> RegionalMongoConfig.builder().applicationName("é".repeat(65)), "applicationName",
                null, "applicationName must be at most 128 bytes in UTF-8, but was 130 bytes");
    }

    @Test
    void aLongValue_isCutInTheMessage() {
        String longName = "x".repeat(10_000) + ".y";
        assertThatThrownBy(() -> RegionalMongoConfig.builder().database(longName))
                .isInstanceOf(InvalidConfigurationException.class)
                .satisfies(e -> {
                    assertThat(e.getMessage()).startsWith("database must be a non-blank name").hasSizeLessThan(200);
                    assertThat(((InvalidConfigurationException) e).value()).hasSizeLessThan(100);
                });
    }

    @Test
    void boundaryValues_areAccepted() {
        RegionalMongoConfig config = RegionalMongoConfig.builder()
                .serverSelectionTimeout(RegionalMongoConfig.MAX_SERVER_SELECTION_TIMEOUT)
                .connectTimeout(RegionalMongoConfig.MAX_CONNECT_TIMEOUT)
                .operationTimeout(RegionalMongoConfig.MAX_OPERATION_TIMEOUT)
                .applicationName("a".repeat(RegionalMongoConfig.MAX_APPLICATION_NAME_BYTES)).build();
        assertThat(config.serverSelectionTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.operationTimeout()).contains(Duration.ofHours(1));
    }

    private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String field,
                                      String value, String message) {
        assertThatThrownBy(call).isInstanceOf(InvalidConfigurationException.class).hasMessage(message)
                .satisfies(e -> {
                    InvalidConfigurationException ice = (InvalidConfigurationException) e;
                    assertThat(ice.field()).isEqualTo(field);
                    if (value != null) {
                        assertThat(ice.value()).isEqualTo(value);
                    }
                });
    }
}
