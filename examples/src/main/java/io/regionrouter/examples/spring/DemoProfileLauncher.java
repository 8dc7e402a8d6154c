package io.regionrouter.examples.spring;

import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.PostgresServer;
import io.regionrouter.testkit.ServerKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * Runs the Spring example in the {@code demo} profile on three embedded PostgreSQL regions (us, eu
 * and ap, seen from eu) from the testkit, so that it can be tried with {@code curl} and nothing
 * installed. From the repository's root:
 *
 * <pre>
 * ./mvnw -B -ntp -q -pl examples -am compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
 * java -cp "examples/target/classes:$(cat examples/target/classpath.txt)" \
 *     io.regionrouter.examples.spring.DemoProfileLauncher
 *
 * curl -i -H 'X-User-Id: alice' -H 'Content-Type: application/json' \
 *     -d '{"displayName":"Alice","homeRegion":"eu"}' http://127.0.0.1:8080/profiles
 * curl -i -H 'X-User-Id: alice' http://127.0.0.1:8080/profiles/me
 * </pre>
 *
 * <p>The demo profile trusts the {@code X-User-Id} header as the user, which is why this launcher
 * only ever runs on throw-away embedded servers on 127.0.0.1. Arguments are Spring Boot's, for
 * example {@code --server.port=9090}, or {@code --example.security.users.olga=<password>} to try
 * HTTP Basic as well. Ctrl-C stops the application and the regions.
 */
public final class DemoProfileLauncher {

    private static final List<String> REGIONS = List.of("us", "eu", "ap");

    private DemoProfileLauncher() {
    }

    /** Starts the regions and runs the application, which creates its tables, until the JVM is stopped. */
    public static void main(String[] args) {
        LocalRegions regions = LocalRegions.builder()
                .region("us", ServerKind.POSTGRES)
                .region("eu", ServerKind.POSTGRES)
                .region("ap", ServerKind.POSTGRES)
                .build()
                .start();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("server.address", "127.0.0.1");
        settings.put("server.port", "8080");
        settings.put("region-router.regions", String.join(",", REGIONS));
        settings.put("region-router.local", "eu");
        settings.put("region-router.primary", "us");
        for (String region : REGIONS) {
            PostgresServer db = regions.region(region).postgres();
            String prefix = "region-router.jdbc.regions." + region + ".";
            // the embedded PostgreSQL has no TLS: say so explicitly, as the library requires
            settings.put(prefix + "url", db.jdbcUrl() + "?sslmode=disable");
            settings.put(prefix + "username", db.appUser());
            settings.put(prefix + "password", db.appPassword());
            // the embedded servers' superuser stands in for the owner role that runs the migrations
            settings.put(prefix + "owner-username", db.superUser());
            settings.put(prefix + "owner-password", db.superPassword());
        }
        // defaults, so that the command line's arguments win over them
        new SpringApplicationBuilder(ProfileApplication.class).profiles("demo").properties(settings).run(args);
    }
}
