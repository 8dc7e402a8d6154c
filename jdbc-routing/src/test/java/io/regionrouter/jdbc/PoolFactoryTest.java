package io.regionrouter.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import io.regionrouter.core.Region;
import io.regionrouter.jdbc.internal.PoolFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PoolFactoryTest {

    private final RegionPoolConfig config = RegionPoolConfig.builder().jdbcUrl("jdbc:postgresql://127.0.0.1:1/app")
            .username("app").password("pw").maximumPoolSize(4).minimumIdle(1).connectionTimeout(Duration.ofMillis(1500))
            .dataSourceProperty("sslmode", "disable").customizer(h -> {
                h.setPoolName("overridden");
                h.setLeakDetectionThreshold(60_000);
            }).build();

    @Test
    void hikariConfig_namesThePoolAfterTheRegionAndBindsTheRegionOncePerConnection() {
        HikariConfig hikari = PoolFactory.hikariConfig(Region.of("eu"), config, "app.user_region", true);
        assertThat(hikari.getPoolName()).isEqualTo("region-router-eu");
        assertThat(hikari.getConnectionInitSql()).isEqualTo("SELECT set_config('app.user_region', 'eu', false)");
        assertThat(hikari.getConnectionTestQuery()).isNull();
    }

    @Test
    void hikariConfig_carriesSizesTimeoutsCredentialsAndCustomizations() {
        HikariConfig hikari = PoolFactory.hikariConfig(Region.of("ap"), config, "tenant.region", false);
        assertThat(hikari.getMaximumPoolSize()).isEqualTo(4);
        assertThat(hikari.getMinimumIdle()).isEqualTo(1);
        assertThat(hikari.getConnectionTimeout()).isEqualTo(1500);
        assertThat(hikari.getUsername()).isEqualTo("app");
        assertThat(hikari.getPassword()).as("kept out of HikariCP's logged configuration").isNull();
        assertThat(hikari.getDataSource()).isInstanceOf(io.regionrouter.jdbc.internal.DriverDataSource.class);
        assertThat(hikari.getLeakDetectionThreshold()).isEqualTo(60_000);
        assertThat(hikari.getInitializationFailTimeout()).isEqualTo(-1);
        assertThat(hikari.getDataSourceProperties()).containsEntry("sslmode", "disable").containsEntry("connectTimeout", "2")
                .containsEntry("loginTimeout", "2").containsEntry("socketTimeout", "30")
                .containsEntry("ApplicationName", "region-router-ap").doesNotContainKey("password");
        assertThat(hikari.getConnectionInitSql()).isEqualTo("SELECT set_config('tenant.region', 'ap', false)");
    }

    @Test
    void failFast_triesOnceAtStartup() {
        assertThat(PoolFactory.hikariConfig(Region.of("us"), config, "app.user_region", true).getInitializationFailTimeout())
                .isEqualTo(1);
    }

    @Test
    void tls_isVerifiedByDefault_andWeakerOnlyByExplicitChoice() {
        Region eu = Region.of("eu");
        RegionPoolConfig.Builder base = RegionPoolConfig.builder().jdbcUrl("jdbc:postgresql://db.eu.internal/app");
        RegionPoolConfig byDefault = base.build();
        assertThat(PoolFactory.driverProperties(eu, byDefault, "x")).containsEntry("sslmode", "verify-full");
        assertThat(byDefault.weakerThanVerifiedTls()).isFalse();

        RegionPoolConfig optedIn = base.allowPlaintext(true).build();
        assertThat(PoolFactory.driverProperties(eu, optedIn, "x")).doesNotContainKey("sslmode");
        assertThat(optedIn.weakerThanVerifiedTls()).isTrue();

        RegionPoolConfig inUrl = RegionPoolConfig.builder().jdbcUrl("jdbc:postgresql://db/app?sslmode=require").build();
        assertThat(inUrl.sslMode()).isEqualTo("require");
        assertThat(PoolFactory.driverProperties(eu, inUrl, "x")).containsEntry("sslmode", "require");
        assertThat(inUrl.weakerThanVerifiedTls()).isTrue();

        RegionPoolConfig asProperty = RegionPoolConfig.builder().jdbcUrl("jdbc:postgresql://db/app")
                .dataSourceProperty("sslmode", "verify-ca").build();
        assertThat(PoolFactory.driverProperties(eu, asProperty, "x")).containsEntry("sslmode", "verify-ca");
        assertThat(asProperty.toString()).contains("sslmode=verify-ca");
    }
}
