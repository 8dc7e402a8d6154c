package io.regionrouter.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

class RegionRouterDefaultsTest {

    @Configuration(proxyBeanMethods = false)
    static class Empty {
    }

    private static ConfigurableApplicationContext run(String... args) {
        SpringApplication app = new SpringApplication(Empty.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        return app.run(args);
    }

    @Test
    void withDatabasesNamed_bootsOwnDataSourceFeaturesAreOff_unlessTheApplicationSaysOtherwise() {
        try (ConfigurableApplicationContext context = run("--region-router.jdbc.regions.us.url=jdbc:postgresql://h/db",
                "--spring.flyway.enabled=true")) {
            assertThat(context.getEnvironment().getProperty("spring.jpa.hibernate.ddl-auto")).isEqualTo("none");
            assertThat(context.getEnvironment().getProperty("spring.sql.init.mode")).isEqualTo("never");
            assertThat(context.getEnvironment().getProperty("spring.flyway.enabled")).isEqualTo("true");
        }
    }

    @Test
    void withoutDatabases_nothingChanges() {
        try (ConfigurableApplicationContext context = run()) {
            assertThat(context.getEnvironment().getProperty("spring.jpa.hibernate.ddl-auto")).isNull();
        }
    }
}
