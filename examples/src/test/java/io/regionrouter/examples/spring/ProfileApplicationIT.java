package io.regionrouter.examples.spring;

import static io.regionrouter.examples.spring.RunningProfileApplication.basic;
import static io.regionrouter.examples.spring.RunningProfileApplication.postJson;
import static org.assertj.core.api.Assertions.assertThat;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionState;
import io.regionrouter.core.Store;
import io.regionrouter.spring.boot.RegionContextFilter;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.PostgresServer;
import io.regionrouter.testkit.ServerKind;
import jakarta.servlet.FilterRegistration;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Spring Boot example against three real PostgreSQL regions from the testkit, called over HTTP.
 * Where a profile lands is checked by querying each region's database directly, as the superuser.
 *
 * <p>The application runs twice: as it should run anywhere ({@link WithoutDemoProfile}), where
 * the user is the HTTP Basic principal and the {@code X-User-Id} header means nothing, and in the
 * {@code demo} profile ({@link InDemoProfile}), where the header is trusted. Both share the regions,
 * so each test signs up users of its own.
 */
class ProfileApplicationIT {

    private static final List<String> REGIONS = List.of("us", "eu", "ap");
    private static final String USER_HEADER = DemoUserHeaderAuthentication.HEADER;
    /** Any region id as a word of its own, as a leaked "lives in eu" or "tried [ap]" would show it. */
    private static final Pattern ANY_REGION = Pattern.compile("\\b(us|eu|ap)\\b");

    @RegisterExtension
    static final LocalRegions LOCAL_REGIONS = LocalRegions.builder()
            .region("us", ServerKind.POSTGRES)
            .region("eu", ServerKind.POSTGRES)
            .region("ap", ServerKind.POSTGRES)
            .build();

    /** The application as it runs outside a demo: users authenticate with HTTP Basic. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WithoutDemoProfile {

        private final Map<String, String> passwords = generatedPasswords(
                "alice", "bob", "chen", "dora", "erin", "gus", "ivan", "jun", "kim", "lee", "max");
        private RunningProfileApplication app;

        @BeforeAll
        void startApplication() {
            app = RunningProfileApplication.start(LOCAL_REGIONS, passwords);
        }

        @AfterAll
        void stopApplication() {
            if (app != null) {
                app.close();
            }
        }

        @Test
        void createProfile_storesItInTheAuthenticatedUsersHomeRegionOnly() throws Exception {
            Map<String, String> homes = new LinkedHashMap<>();
            homes.put("alice", "eu");
            homes.put("bob", "us");
            homes.put("chen", "ap");
            for (Map.Entry<String, String> user : homes.entrySet()) {
                HttpResponse<String> created = app.send(postJson(app.requestAs(user.getKey(), "/profiles"),
                        "{\"displayName\":\"Name of " + user.getKey() + "\",\"homeRegion\":\"" + user.getValue() + "\"}"));
                assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
                assertThat(created.body()).contains("\"userId\":\"" + user.getKey() + "\"")
                        .contains("\"region\":\"" + user.getValue() + "\"");
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
            assertThat(app.send(postJson(app.requestAs("dora", "/profiles"),
                    "{\"displayName\":\"Dora\",\"homeRegion\":\"ap\"}")).statusCode()).isEqualTo(201);

            HttpResponse<String> read = app.send(app.requestAs("dora", "/profiles/me").GET());

            assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
            assertThat(read.body()).contains("\"displayName\":\"Dora\"").contains("\"region\":\"ap\"");
        }

        @Test
        void unauthenticatedRequests_getTheSame401AndWriteNothing() throws Exception {
            String signUp = "{\"displayName\":\"Mallory\",\"homeRegion\":\"eu\"}";
            long before = totalProfileRows();

            List<HttpResponse<String>> refused = List.of(
                    app.send(postJson(app.request("/profiles"), signUp)),
                    app.send(postJson(app.request("/profiles").header(USER_HEADER, "mallory"), signUp)),
                    app.send(app.request("/profiles/me").header(USER_HEADER, "alice").GET()),
                    app.send(postJson(app.request("/profiles").header(USER_HEADER, "mallory")
                            .header("Authorization", basic("erin", "not-erins-password")), signUp)),
                    app.send(postJson(app.request("/profiles").header(USER_HEADER, "mallory")
                            .header("Authorization", basic("mallory", "any-password")), signUp)));

            String firstBody = refused.get(0).body();
            for (HttpResponse<String> response : refused) {
                assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
                assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                        value -> assertThat(value).startsWith("Basic "));
                // a wrong password and an unknown user look alike: nothing confirms that erin exists
                assertThat(response.body()).isEqualTo(firstBody)
                        .doesNotContain("mallory", "alice", "erin", USER_HEADER);
            }
            assertThat(totalRowsOf("mallory")).isZero();
            assertThat(totalProfileRows()).isEqualTo(before);
        }

        @Test
        void userHeader_cannotRedirectAnAuthenticatedRequest() throws Exception {
            HttpResponse<String> created = app.send(postJson(
                    app.requestAs("erin", "/profiles").header(USER_HEADER, "trudy"),
                    "{\"displayName\":\"Erin\",\"homeRegion\":\"us\"}"));

            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            assertThat(created.body()).contains("\"userId\":\"erin\"");
            assertThat(profileRows("us", "erin")).isEqualTo(1);
            assertThat(totalRowsOf("trudy")).isZero();
        }

        @Test
        void ownProfileMissing_gets404NamingNoUser() throws Exception {
            HttpResponse<String> read = app.send(app.requestAs("gus", "/profiles/me").GET());

            assertThat(read.statusCode()).as(read.body()).isEqualTo(404);
            assertThat(read.body()).contains("POST /profiles").doesNotContain("gus");
        }

        @Test
        void conflictingHomeRegion_gets409NamingNoUserAndNoRegion() throws Exception {
            assertThat(app.send(postJson(app.requestAs("ivan", "/profiles"),
                    "{\"displayName\":\"Ivan\",\"homeRegion\":\"eu\"}")).statusCode()).isEqualTo(201);

            HttpResponse<String> again = app.send(postJson(app.requestAs("ivan", "/profiles"),
                    "{\"displayName\":\"Ivan\",\"homeRegion\":\"ap\"}"));

            assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
            assertThat(again.body()).doesNotContain("ivan").doesNotContainPattern(ANY_REGION);
            assertThat(totalRowsOf("ivan")).isEqualTo(1);
        }

        @Test
        void unavailableHomeRegion_gets503NamingNoUserAndNoRegion() throws Exception {
            assertThat(app.send(postJson(app.requestAs("jun", "/profiles"),
                    "{\"displayName\":\"Jun\",\"homeRegion\":\"ap\"}")).statusCode()).isEqualTo(201);
            RegionHealth health = app.bean(RegionHealth.class);
            PostgresServer ap = LOCAL_REGIONS.region("ap").postgres();
            ap.refuse();
            try {
                awaitState(health, Region.of("ap"), RegionState.DOWN);

                HttpResponse<String> read = app.send(app.requestAs("jun", "/profiles/me").GET());

                assertThat(read.statusCode()).as(read.body()).isEqualTo(503);
                assertThat(read.body()).doesNotContain("jun").doesNotContainPattern(ANY_REGION);
            } finally {
                ap.heal();
                awaitState(health, Region.of("ap"), RegionState.UP);
            }
        }

        @Test
        void unknownRegion_isRefusedWith400() throws Exception {
            HttpResponse<String> created = app.send(postJson(app.requestAs("kim", "/profiles"),
                    "{\"displayName\":\"Kim\",\"homeRegion\":\"mars\"}"));

            assertThat(created.statusCode()).as(created.body()).isEqualTo(400);
            assertThat(created.body()).contains("mars");
            assertThat(totalRowsOf("kim")).isZero();
        }

        @Test
        void theStartersContextFilter_isRegisteredOnce_rightAfterSpringSecurity() {
            List<String> filters = app.servletContext().getFilterRegistrations().values().stream()
                    .map(FilterRegistration::getClassName)
                    .filter(RegionContextFilter.class.getName()::equals).toList();
            assertThat(filters).hasSize(1);
            assertThat(app.bean(org.springframework.boot.web.servlet.FilterRegistrationBean.class, "regionContextFilter").getOrder())
                    .isEqualTo(io.regionrouter.spring.boot.RegionRouterWebAutoConfiguration.FILTER_ORDER);
        }

        @Test
        void anAsyncRead_keepsTheUsersContext_onAnotherThread() throws Exception {
            assertThat(app.send(postJson(app.requestAs("lee", "/profiles"),
                    "{\"displayName\":\"Lee\",\"homeRegion\":\"ap\"}")).statusCode()).isEqualTo(201);

            HttpResponse<String> read = app.send(app.requestAs("lee", "/profiles/me/later").GET());

            assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
            assertThat(read.body()).contains("\"displayName\":\"Lee\"").contains("\"region\":\"ap\"");
        }

        @Test
        void actuatorHealth_showsEachRegionAndStore_toAnAuthenticatedCaller_andOnlyTheStatusToOthers() throws Exception {
            HttpResponse<String> detailed = app.send(app.requestAs("max", "/actuator/health").GET());
            assertThat(detailed.statusCode()).as(detailed.body()).isEqualTo(200);
            assertThat(detailed.body()).contains("\"regionRouter\"").contains("\"postgres\"");
            for (String region : REGIONS) {
                assertThat(detailed.body()).contains("\"" + region + "\"");
            }

            HttpResponse<String> anonymous = app.send(app.request("/actuator/health").GET());
            assertThat(anonymous.statusCode()).isEqualTo(200);
            assertThat(anonymous.body()).contains("\"status\"").doesNotContain("regionRouter").doesNotContainPattern(ANY_REGION);
        }

        @Test
        void actuatorPrometheus_showsTheRoutersMeters() throws Exception {
            HttpResponse<String> scrape = app.send(app.requestAs("max", "/actuator/prometheus").GET());

            assertThat(scrape.statusCode()).as(scrape.body()).isEqualTo(200);
            assertThat(scrape.body()).contains("regionrouter_health_state{region=\"eu\",store=\"postgres\"} 1")
                    .contains("hikaricp_connections_active{pool=\"region-router-ap\"")
                    .contains("regionrouter_residency_denials_total");
        }

        @Test
        void theMigrations_ranInEveryRegion_withThatRegionsPlaceholder() throws SQLException {
            for (String region : REGIONS) {
                try (Connection c = LOCAL_REGIONS.region(region).postgres().superuserDataSource().getConnection();
                        PreparedStatement s = c.prepareStatement("SELECT region FROM deployment_region");
                        ResultSet rs = s.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo(region);
                }
            }
        }
    }

    /** The application in the demo profile, where the X-User-Id header names the user. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class InDemoProfile {

        private final Map<String, String> passwords = generatedPasswords("olga");
        private RunningProfileApplication app;

        @BeforeAll
        void startApplication() {
            app = RunningProfileApplication.start(LOCAL_REGIONS, passwords, "demo");
        }

        @AfterAll
        void stopApplication() {
            if (app != null) {
                app.close();
            }
        }

        @Test
        void userHeader_authenticatesTheRequest() throws Exception {
            HttpResponse<String> created = app.send(postJson(app.request("/profiles").header(USER_HEADER, "pia"),
                    "{\"displayName\":\"Pia\",\"homeRegion\":\"eu\"}"));
            HttpResponse<String> read = app.send(app.request("/profiles/me").header(USER_HEADER, "pia").GET());

            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
            assertThat(read.body()).contains("\"userId\":\"pia\"").contains("\"region\":\"eu\"");
            for (String region : REGIONS) {
                assertThat(profileRows(region, "pia")).as("rows of pia in %s", region)
                        .isEqualTo(region.equals("eu") ? 1 : 0);
            }
        }

        @Test
        void credentials_winOverTheUserHeader() throws Exception {
            HttpResponse<String> created = app.send(postJson(
                    app.requestAs("olga", "/profiles").header(USER_HEADER, "quinn"),
                    "{\"displayName\":\"Olga\",\"homeRegion\":\"ap\"}"));

            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            assertThat(profileRows("ap", "olga")).isEqualTo(1);
            assertThat(totalRowsOf("quinn")).isZero();
        }

        @Test
        void malformedUserHeader_isRefusedWith401() throws Exception {
            for (String header : List.of(" ", "Robin", "x".repeat(65), "rob in")) {
                HttpResponse<String> read = app.send(app.request("/profiles/me").header(USER_HEADER, header).GET());

                assertThat(read.statusCode()).as("header \"%s\": %s", header, read.body()).isEqualTo(401);
            }
        }

        @Test
        void conflictForAClaimedUser_namesNeitherTheUserNorTheHomeRegion() throws Exception {
            assertThat(app.send(postJson(app.request("/profiles").header(USER_HEADER, "rosa"),
                    "{\"displayName\":\"Rosa\",\"homeRegion\":\"eu\"}")).statusCode()).isEqualTo(201);

            // anyone may claim to be rosa here; the answer must not tell them where she lives
            HttpResponse<String> probe = app.send(postJson(app.request("/profiles").header(USER_HEADER, "rosa"),
                    "{\"displayName\":\"Rosa\",\"homeRegion\":\"us\"}"));

            assertThat(probe.statusCode()).as(probe.body()).isEqualTo(409);
            assertThat(probe.body()).doesNotContain("rosa").doesNotContainPattern(ANY_REGION);
        }
    }

    private static Map<String, String> generatedPasswords(String... users) {
        Map<String, String> passwords = new LinkedHashMap<>();
        for (String user : users) {
            passwords.put(user, UUID.randomUUID().toString());
        }
        return passwords;
    }

    private static void awaitState(RegionHealth health, Region region, RegionState wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (health.state(region, Store.POSTGRES) != wanted) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(region + " did not become " + wanted + " within 20 s; it is "
                        + health.state(region, Store.POSTGRES));
            }
            Thread.sleep(50);
        }
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
