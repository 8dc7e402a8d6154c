package io.regionrouter.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.regionrouter.core.Region;
import io.regionrouter.core.Topology;
import io.regionrouter.jdbc.JdbcRegionDirectory;
import io.regionrouter.jdbc.ResidencySchema;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.PostgresServer;
import io.regionrouter.testkit.ServerKind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Spring Boot example against three real PostgreSQL regions from the testkit: profiles land in
 * their users' home regions (checked by querying each region's database directly, as the
 * superuser), and requests without a user are refused.
 */
class ProfileApplicationIT {

    private static final List<String> REGIONS = List.of("us", "eu", "ap");

    @RegisterExtension
    static final LocalRegions LOCAL_REGIONS = LocalRegions.builder()
            .region("us", ServerKind.POSTGRES)
            .region("eu", ServerKind.POSTGRES)
            .region("ap", ServerKind.POSTGRES)
            .build();

    private static ConfigurableApplicationContext app;
    private static URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startApplication() throws SQLException {
        migrate();
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
                "--region-router.local=eu", "--region-router.primary=us"));
        for (String region : REGIONS) {
            PostgresServer db = LOCAL_REGIONS.region(region).postgres();
            String prefix = "--region-router.databases." + region + ".";
            args.add(prefix + "jdbc-url=" + db.jdbcUrl());
            args.add(prefix + "username=" + db.appUser());
            args.add(prefix + "password=" + db.appPassword());
            args.add(prefix + "maximum-pool-size=2");
        }
        app = new SpringApplicationBuilder(ProfileApplication.class).run(args.toArray(String[]::new));
        int port = ((WebServerApplicationContext) app).getWebServer().getPort();
        base = URI.create("http://127.0.0.1:" + port);
    }

    /** What a migration tool would do, as the owner role: the directory in us, profiles in every region. */
    private static void migrate() throws SQLException {
        Topology topology = Topology.builder().regions(REGIONS.toArray(String[]::new)).local("eu").primary("us").build();
        JdbcRegionDirectory.builder(topology)
                .lookups(LOCAL_REGIONS.region("us").postgres().superuserDataSource())
                .assignments(LOCAL_REGIONS.region("us").postgres().superuserDataSource())
                .build()
                .createTable(LOCAL_REGIONS.region("us").postgres().superuserDataSource());
        ResidencySchema profiles = ResidencySchema.builder(topology)
                .table("profiles")
                .column("user_id", "text NOT NULL")
                .column("display_name", "text NOT NULL")
                .primaryKey("user_id")
                .appRole(LOCAL_REGIONS.region("us").postgres().appUser())
                .build();
        for (String region : REGIONS) {
            profiles.apply(LOCAL_REGIONS.region(region).postgres().superuserDataSource(), Region.of(region));
        }
    }

    @AfterAll
    static void stopApplication() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void createProfile_storesItInTheUsersHomeRegionOnly() throws Exception {
        Map<String, String> homes = new LinkedHashMap<>();
        homes.put("alice", "eu");
        homes.put("bob", "us");
        homes.put("chen", "ap");
        for (Map.Entry<String, String> user : homes.entrySet()) {
            HttpResponse<String> created = post(user.getKey(),
                    "{\"displayName\":\"Name of " + user.getKey() + "\",\"homeRegion\":\"" + user.getValue() + "\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            assertThat(created.body()).contains("\"region\":\"" + user.getValue() + "\"");
        }
        for (Map.Entry<String, String> user : homes.entrySet()) {
            for (String region : REGIONS) {
                long expected = region.equals(user.getValue()) ? 1 : 0;
                assertThat(profileRows(region, user.getKey()))
                        .as("rows of %s (home %s) in the %s database", user.getKey(), user.getValue(), region)
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    void readProfile_comesBackFromTheHomeRegion() throws Exception {
        assertThat(post("dora", "{\"displayName\":\"Dora\",\"homeRegion\":\"ap\"}").statusCode()).isEqualTo(201);

        HttpResponse<String> read = get("dora");

        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        assertThat(read.body()).contains("\"displayName\":\"Dora\"").contains("\"region\":\"ap\"");
    }

    @Test
    void requestWithoutUser_isRefusedWith401AndWritesNothing() throws Exception {
        long before = totalProfileRows();

        HttpResponse<String> post = send(HttpRequest.newBuilder(base.resolve("/profiles"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"displayName\":\"Nobody\",\"homeRegion\":\"eu\"}")));
        HttpResponse<String> read = send(HttpRequest.newBuilder(base.resolve("/profiles/me")).GET());
        HttpResponse<String> blank = send(HttpRequest.newBuilder(base.resolve("/profiles/me"))
                .header(RegionContextFilter.USER_HEADER, " ").GET());

        for (HttpResponse<String> response : List.of(post, read, blank)) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.body()).contains("no user").contains(RegionContextFilter.USER_HEADER);
        }
        assertThat(totalProfileRows()).isEqualTo(before);
    }

    @Test
    void unknownUser_gets404WithAClearMessage() throws Exception {
        HttpResponse<String> read = get("nobody-yet");

        assertThat(read.statusCode()).isEqualTo(404);
        assertThat(read.body()).contains("no home region is known for user nobody-yet");
    }

    @Test
    void unknownRegion_isRefusedWith400() throws Exception {
        HttpResponse<String> created = post("erin", "{\"displayName\":\"Erin\",\"homeRegion\":\"mars\"}");

        assertThat(created.statusCode()).isEqualTo(400);
        assertThat(created.body()).contains("mars");
        assertThat(totalRowsOf("erin")).isZero();
    }

    private HttpResponse<String> post(String user, String json) throws Exception {
        return send(HttpRequest.newBuilder(base.resolve("/profiles"))
                .header(RegionContextFilter.USER_HEADER, user)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpResponse<String> get(String user) throws Exception {
        return send(HttpRequest.newBuilder(base.resolve("/profiles/me"))
                .header(RegionContextFilter.USER_HEADER, user).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Counts a user's profile rows in one region's database, as the superuser (row-level security does not hide rows from it). */
    private static long profileRows(String region, String user) throws SQLException {
        return count(region, "SELECT count(*) FROM profiles WHERE user_id = ?", user);
    }

    private static long totalRowsOf(String user) throws SQLException {
        long total = 0;
        for (String region : REGIONS) {
            total += profileRows(region, user);
        }
        return total;
    }

    private static long totalProfileRows() throws SQLException {
        long total = 0;
        for (String region : REGIONS) {
            total += count(region, "SELECT count(*) FROM profiles");
        }
        return total;
    }

    private static long count(String region, String sql, String... args) throws SQLException {
        try (Connection c = LOCAL_REGIONS.region(region).postgres().superuserDataSource().getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
