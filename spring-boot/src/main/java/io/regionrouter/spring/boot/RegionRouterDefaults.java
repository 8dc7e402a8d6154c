package io.regionrouter.spring.boot;

import io.regionrouter.spring.boot.internal.JdbcRegionsConfigured;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Defaults that Spring Boot's own features need once the application's {@code DataSource} is the
 * routing one, which has no region outside a request. Added with the lowest precedence, and only when
 * {@code region-router.jdbc.regions.*} names a database, so any value the application sets wins:
 *
 * <ul>
 *   <li>{@code spring.jpa.hibernate.ddl-auto=none}: otherwise Boot opens a connection at startup to
 *       ask whether the database is embedded, and Hibernate must never change a regulated schema;</li>
 *   <li>{@code spring.flyway.enabled=false}: Boot's Flyway would migrate through the routing
 *       {@code DataSource}; {@link RegionMigrations} migrates every region instead;</li>
 *   <li>{@code spring.sql.init.mode=never}: the same for {@code schema.sql} and {@code data.sql}.</li>
 * </ul>
 */
public final class RegionRouterDefaults implements EnvironmentPostProcessor {

    /** The name of the property source that holds the defaults. */
    public static final String SOURCE = "regionRouterDefaults";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!JdbcRegionsConfigured.in(environment) || environment.getPropertySources().contains(SOURCE)) {
            return;
        }
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("spring.jpa.hibernate.ddl-auto", "none");
        defaults.put("spring.flyway.enabled", "false");
        defaults.put("spring.sql.init.mode", "never");
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE, defaults));
    }
}
