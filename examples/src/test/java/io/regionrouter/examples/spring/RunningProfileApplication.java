package io.regionrouter.examples.spring;

import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.PostgresServer;
import jakarta.servlet.ServletContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.context.WebApplicationContext;

/**
 * The example application started on the testkit's regions, on a random port, as a user would run
 * it: configured through command-line properties, and called over real HTTP.
 */
final class RunningProfileApplication implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final URI base;
    private final Map<String, String> passwords;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RunningProfileApplication(ConfigurableApplicationContext context, Map<String, String> passwords) {
        this.context = context;
        this.passwords = Map.copyOf(passwords);
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        this.base = URI.create("http://127.0.0.1:" + port);
    }

    /**
     * Starts the application as the application role of each region.
     *
     * @param passwords the users HTTP Basic lets in, by name
     * @param profiles the Spring profiles to activate
     */
    static RunningProfileApplication start(LocalRegions regions, Map<String, String> passwords, String... profiles) {
        return start(regions, passwords, "eu", List.of(), new Class<?>[0], profiles);
    }

    /**
     * Starts the application as the application role of each region, in a local region of choice,
     * with more properties and configuration classes.
     *
     * @param local the local region
     * @param more more {@code --name=value} arguments
     * @param sources more configuration classes
     * @param profiles the Spring profiles to activate
     */
    static RunningProfileApplication start(LocalRegions regions, Map<String, String> passwords, String local,
            List<String> more, Class<?>[] sources, String... profiles) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
                "--region-router.regions=" + String.join(",", regions.names()), "--region-router.local=" + local,
                "--region-router.primary=us",
                "--spring.profiles.active=" + String.join(",", profiles)));
        for (String region : regions.names()) {
            PostgresServer db = regions.region(region).postgres();
            String prefix = "--region-router.jdbc.regions." + region + ".";
            // the testkit's PostgreSQL has no TLS: say so explicitly, as the library requires
            args.add(prefix + "url=" + db.jdbcUrl() + "?sslmode=disable");
            args.add(prefix + "username=" + db.appUser());
            args.add(prefix + "password=" + db.appPassword());
            args.add(prefix + "maximum-pool-size=2");
            args.add(prefix + "owner-username=" + db.superUser());
            args.add(prefix + "owner-password=" + db.superPassword());
        }
        passwords.forEach((user, password) -> args.add("--example.security.users." + user + "=" + password));
        args.addAll(more);
        return new RunningProfileApplication(new SpringApplicationBuilder(ProfileApplication.class).sources(sources)
                .run(args.toArray(String[]::new)), passwords);
    }

    /** A request to {@code path} with no credentials and no headers. */
    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10));
    }

    /** A request to {@code path} authenticated with HTTP Basic as one of the configured users. */
    HttpRequest.Builder requestAs(String user, String path) {
        String password = passwords.get(user);
        if (password == null) {
            throw new IllegalArgumentException("user " + user + " is not configured; configured are "
                    + passwords.keySet());
        }
        return request(path).header("Authorization", basic(user, password));
    }

    /** The value of an HTTP Basic {@code Authorization} header. */
    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** A JSON {@code POST} body. */
    static HttpRequest.Builder postJson(HttpRequest.Builder request, String json) {
        return request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    <T> T bean(Class<T> type, String name) {
        return context.getBean(name, type);
    }

    ServletContext servletContext() {
        return ((WebApplicationContext) context).getServletContext();
    }

    @Override
    public void close() {
        context.close();
    }
}
