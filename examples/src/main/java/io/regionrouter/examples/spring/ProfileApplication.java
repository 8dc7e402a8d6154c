package io.regionrouter.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * A Spring Boot service that keeps each user's profile in the user's home region.
 *
 * <ul>
 *   <li>{@link RegionRouterConfiguration} wires the router and declares the routing data source
 *       as the {@code DataSource} bean, so Boot's {@code JdbcTemplate} and transaction manager
 *       use it unchanged;</li>
 *   <li>{@link SecurityConfiguration} authenticates every request (HTTP Basic against the users of
 *       {@link ExampleSecurityProperties}, standing in for an identity provider), and
 *       {@link RegionContextFilter}, inside the security chain, binds the authenticated user to
 *       the thread. The {@code demo} profile adds {@link DemoUserHeaderAuthentication}, which
 *       trusts an {@code X-User-Id} header instead; never outside a demo;</li>
 *   <li>{@link ProfileController} is the REST API: {@code POST /profiles} and
 *       {@code GET /profiles/me}.</li>
 * </ul>
 *
 * <p>Configuration ({@link RegionRouterProperties}), for example:
 * <pre>
 * region-router.local=eu
 * region-router.primary=us
 * region-router.databases.us.jdbc-url=jdbc:postgresql://db.us.internal/app
 * region-router.databases.us.username=app
 * region-router.databases.us.password=${US_DB_PASSWORD}
 * region-router.databases.eu.jdbc-url=...       (and so on for every region)
 * example.security.users.alice=${ALICE_PASSWORD}
 * </pre>
 *
 * <p>The tables are created by migrations run as the owner role, never by the application role:
 * the {@code region_directory} table in the primary region, and the {@code profiles} table (made by
 * {@code ResidencySchema}: partitioned by region, forced row-level security) in every region;
 * {@link ProfileSchema} shows the DDL. To try the example on embedded regions, in the demo profile,
 * run {@link DemoProfileLauncher}.
 */
@SpringBootApplication
@EnableConfigurationProperties({RegionRouterProperties.class, ExampleSecurityProperties.class})
public class ProfileApplication {

    /** Starts the service. */
    public static void main(String[] args) {
        SpringApplication.run(ProfileApplication.class, args);
    }
}
