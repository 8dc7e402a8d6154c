package io.regionrouter.examples.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The example's Prometheus rules pass {@code promtool check rules} and their unit tests
 * ({@code promtool test rules}), and the Grafana dashboard is well-formed. promtool comes from
 * Debian's {@code prometheus} package, which {@code .ci/run} installs; without it the promtool checks
 * are skipped, saying so. That each metric they use is one the starter publishes is checked by the
 * spring-boot module's {@code MonitoringFilesIT}.
 */
class MonitoringRulesTest {

    static final Path MONITORING = Path.of("monitoring");

    @Test
    void theRules_passPromtoolsCheck_andTheirUnitTests() throws Exception {
        Assumptions.assumeTrue(onPath("promtool"), "promtool is not on the PATH (Debian package prometheus), so the alert rules"
                + " were not checked; .ci/run installs it");
        assertThat(promtool("check", "rules", "region-router-alerts.yml")).contains("SUCCESS: 7 rules found");
        assertThat(promtool("test", "rules", "region-router-alerts-test.yml")).contains("SUCCESS");
    }

    @Test
    void theDashboard_isWellFormed_andEveryPanelQueriesPrometheus() throws IOException {
        JsonNode dashboard = JsonMapper.builder().build().readTree(Files.readString(MONITORING.resolve("region-router-dashboard.json")));
        assertThat(dashboard.get("uid").asString()).isEqualTo("region-router");
        assertThat(dashboard.get("panels").size()).isGreaterThanOrEqualTo(10);
        for (JsonNode panel : dashboard.get("panels")) {
            assertThat(panel.get("datasource").get("type").asString()).as(panel.get("title").asString()).isEqualTo("prometheus");
            assertThat(panel.get("targets").size()).as(panel.get("title").asString()).isPositive();
            panel.get("targets").forEach(t -> assertThat(t.get("expr").asString()).isNotBlank());
        }
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        return path != null && List.of(path.split(java.io.File.pathSeparator)).stream()
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }

    private static String promtool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(MONITORING.toFile()).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
