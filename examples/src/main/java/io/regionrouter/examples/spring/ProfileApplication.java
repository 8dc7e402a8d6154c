package io.regionrouter.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.EnableAsync;

/**
 * A Spring Boot service that keeps each user's profile in the user's home region, wired by
 * region-router's Spring Boot starter from {@code region-router.*} properties.
 *
 * <ul>
 *   <li>The starter declares the routing data source as the {@code DataSource} bean, so Boot's
 *       {@code JdbcTemplate} and transaction manager use it unchanged; it runs the migrations of every
 *       region as its owner role (the directory table, {@code db/migration}, and {@link ProfileTables});
 *       it binds each request to the authenticated user right after the security chain, and carries
 *       that context into {@code @Async} methods;</li>
 *   <li>{@link SecurityConfiguration} authenticates every request (HTTP Basic against the users of
 *       {@link ExampleSecurityProperties}, standing in for an identity provider). The {@code demo}
 *       profile adds {@link DemoUserHeaderAuthentication}, which trusts an {@code X-User-Id} header
 *       instead; never outside a demo;</li>
 *   <li>{@link ProfileController} is the REST API: {@code POST /profiles}, {@code GET /profiles/me}
 *       and {@code GET /profiles/me/later} (the same read, on another thread).</li>
 * </ul>
 *
 * <p>Configuration, for example:
 * <pre>
 * region-router.regions=us,eu,ap
 * region-router.local=eu
 * region-router.primary=us
 * region-router.jdbc.regions.us.url=jdbc:postgresql://db.us.internal/app
 * region-router.jdbc.regions.us.username=app
 * region-router.jdbc.regions.us.password=${US_DB_PASSWORD}
 * region-router.jdbc.regions.us.owner-username=app_owner
 * region-router.jdbc.regions.us.owner-password=${US_DB_OWNER_PASSWORD}
 * region-router.jdbc.regions.eu.url=...       (and so on for every region)
 * example.security.users.alice=${ALICE_PASSWORD}
 * </pre>
 *
 * <p>To try the example on embedded regions, in the demo profile, run {@link DemoProfileLauncher}.
 */
@SpringBootApplication
@EnableAsync
@EnableConfigurationProperties(ExampleSecurityProperties.class)
public class ProfileApplication {

    /** Starts the service. */
    public static void main(String[] args) {
        SpringApplication.run(ProfileApplication.class, args);
    }
}
