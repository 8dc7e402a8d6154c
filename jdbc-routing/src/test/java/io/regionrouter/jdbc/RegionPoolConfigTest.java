package io.regionrouter.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.InvalidConfigurationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RegionPoolConfigTest {

    private static RegionPoolConfig.Builder valid() {
        return RegionPoolConfig.builder().jdbcUrl("jdbc:postgresql://127.0.0.1:5432/app").username("app").password("s3cret");
    }

    @Test
    void defaults_areShortTimeoutsAndAFixedSizePool() {
        RegionPoolConfig config = valid().build();
        assertThat(config.connectionTimeout()).isEqualTo(Duration.ofSeconds(2)).isLessThan(Duration.ofSeconds(30));
        assertThat(config.maximumPoolSize()).isEqualTo(RegionPoolConfig.DEFAULT_MAXIMUM_POOL_SIZE);
        assertThat(config.minimumIdle()).isEqualTo(config.maximumPoolSize());
        assertThat(config.validationTimeout()).isEqualTo(RegionPoolConfig.DEFAULT_VALIDATION_TIMEOUT);
    }

    @Test
    void minimumIdle_defaultsToTheConfiguredMaximum() {
        assertThat(valid().maximumPoolSize(3).build().minimumIdle()).isEqualTo(3);
        assertThat(valid().maximumPoolSize(3).minimumIdle(1).build().minimumIdle()).isEqualTo(1);
    }

    @Test
    void toString_masksThePasswordAndSecretsInUrlAndProperties() {
        RegionPoolConfig config = valid().jdbcUrl("jdbc:postgresql://127.0.0.1/app?user=app&password=urlsecret&ssl=true")
                .dataSourceProperty("sslpassword", "keysecret").dataSourceProperty("sslmode", "require").build();
        String text = config.toString();
        assertThat(text).doesNotContain("s3cret").doesNotContain("urlsecret").doesNotContain("keysecret")
                .contains("password=****").contains("sslmode=require").contains("ssl=true").contains("username=app");
    }

    @Test
    void maximumPoolSize_belowOne_isRejectedNamingFieldAndValue() {
        assertThatThrownBy(() -> valid().maximumPoolSize(0)).isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("pool.maximumPoolSize must be in [1, 1000], but was 0")
                .satisfies(e -> assertThat(((InvalidConfigurationException) e).field()).isEqualTo("pool.maximumPoolSize"));
    }

    @Test
    void minimumIdle_aboveMaximum_isRejectedAtBuild() {
        assertThatThrownBy(() -> valid().maximumPoolSize(2).minimumIdle(5).build())
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("pool.minimumIdle must be <= pool.maximumPoolSize (2), but was 5");
    }

    @Test
    void connectionTimeout_belowHikariMinimum_isRejected() {
        assertThatThrownBy(() -> valid().connectionTimeout(Duration.ofMillis(100)))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("pool.connectionTimeout must be in [250 ms, 600000 ms], but was 100 ms");
    }

    @Test
    void validationTimeout_longerThanConnectionTimeout_isRejectedAtBuild() {
        assertThatThrownBy(() -> valid().connectionTimeout(Duration.ofSeconds(1)).validationTimeout(Duration.ofSeconds(2)).build())
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("pool.validationTimeout");
    }

    @Test
    void jdbcUrl_missingOrNotJdbc_isRejectedWithoutLeakingSecrets() {
        assertThatThrownBy(() -> RegionPoolConfig.builder().build()).isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("pool.jdbcUrl must be set, but was null");
        assertThatThrownBy(() -> RegionPoolConfig.builder().jdbcUrl("postgres://u:pw@host/db?password=pw"))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("pool.jdbcUrl must start with \"jdbc:\"").hasMessageNotContaining("pw@")
                .hasMessageNotContaining("password=pw");
    }

    @Test
    void idleTimeoutAndMaxLifetime_acceptZeroButNotTinyValues() {
        assertThat(valid().idleTimeout(Duration.ZERO).maxLifetime(Duration.ZERO).build().idleTimeout()).isZero();
        assertThatThrownBy(() -> valid().idleTimeout(Duration.ofSeconds(1))).hasMessageContaining("pool.idleTimeout");
        assertThatThrownBy(() -> valid().maxLifetime(Duration.ofSeconds(1))).hasMessageContaining("pool.maxLifetime");
    }

    @Test
    void socketTimeout_defaultsTo30Seconds_andIsShownInToString() {
        RegionPoolConfig config = valid().build();
        assertThat(config.socketTimeout()).isEqualTo(Duration.ofSeconds(30)).isEqualTo(RegionPoolConfig.DEFAULT_SOCKET_TIMEOUT);
        assertThat(config.toString()).contains("socketTimeout=PT30S");
        assertThat(valid().socketTimeout(Duration.ofSeconds(2)).build().socketTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(valid().socketTimeout(Duration.ofHours(24)).build().socketTimeout()).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void socketTimeout_outOfBoundsOrNotWholeSeconds_isRejectedNamingFieldAndValue() {
        assertThatThrownBy(() -> valid().socketTimeout(Duration.ZERO)).isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("pool.socketTimeout must be >= 1000 ms, but was 0 ms")
                .satisfies(e -> assertThat(((InvalidConfigurationException) e).field()).isEqualTo("pool.socketTimeout"));
        assertThatThrownBy(() -> valid().socketTimeout(null)).isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("pool.socketTimeout must be >= 1000 ms, but was null");
        assertThatThrownBy(() -> valid().socketTimeout(Duration.ofSeconds(-5))).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith("pool.socketTimeout must be >= 1000 ms");
        assertThatThrownBy(() -> valid().socketTimeout(Duration.ofHours(25))).isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("pool.socketTimeout must be <= 24 h, but was 90000 s");
        assertThatThrownBy(() -> valid().socketTimeout(Duration.ofMillis(1500))).isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("pool.socketTimeout must be a whole number of seconds (the driver counts in seconds), but was 1500 ms")
                .satisfies(e -> assertThat(((InvalidConfigurationException) e).value()).isEqualTo("PT1.5S"));
    }

    @Test
    void socketTimeout_cannotBeOverriddenOrTurnedOffThroughTheUrlOrADriverProperty() {
        assertThatThrownBy(() -> valid().dataSourceProperty("socketTimeout", "0"))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("pool.dataSourceProperty.socketTimeout must not be set; use"
                        + " RegionPoolConfig.Builder.socketTimeout(Duration), but was 0");
        assertThatThrownBy(() -> valid().jdbcUrl("jdbc:postgresql://127.0.0.1/app?password=urlsecret&socketTimeout=0"))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith("pool.jdbcUrl must not set socketTimeout").hasMessageNotContaining("urlsecret");
        assertThat(valid().jdbcUrl("jdbc:postgresql://127.0.0.1/app?connectTimeout=5&ApplicationName=socketTimeout").build()
                .jdbcUrl()).contains("connectTimeout=5");
    }

    @Test
    void toBuilder_copiesEverything() {
        RegionPoolConfig config = valid().maximumPoolSize(4).minimumIdle(2).dataSourceProperty("sslmode", "disable")
                .socketTimeout(Duration.ofSeconds(7)).build();
        RegionPoolConfig copy = config.toBuilder().build();
        assertThat(copy.toString()).isEqualTo(config.toString());
        assertThat(copy.password()).isEqualTo("s3cret");
    }
}
