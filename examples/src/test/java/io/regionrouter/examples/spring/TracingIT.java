package io.regionrouter.examples.spring;

import static io.regionrouter.examples.spring.RunningProfileApplication.postJson;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.ServerKind;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The example's traces, exported through Micrometer Tracing and OpenTelemetry to an in-memory span
 * exporter instead of an OTLP collector, and its log lines, recorded by {@link RecordingLogs}. The
 * application runs in us (where the Redis hint log lives) with PostgreSQL and Redis in us, eu and ap;
 * health probes are 10 minutes apart, so no probe runs (or logs) while a test's request is served.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TracingIT {

    private static final AttributeKey<String> REGION = AttributeKey.stringKey("region.router.region");
    private static final AttributeKey<String> STORE = AttributeKey.stringKey("region.router.store");
    private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("region.router.outcome");
    private static final AttributeKey<String> SQL_KIND = AttributeKey.stringKey("region.router.sql.kind");
    private static final String USER_HEADER = DemoUserHeaderAuthentication.HEADER;

    @RegisterExtension
    static final LocalRegions LOCAL_REGIONS = LocalRegions.builder()
            .region("us", ServerKind.POSTGRES, ServerKind.REDIS)
            .region("eu", ServerKind.POSTGRES, ServerKind.REDIS)
            .region("ap", ServerKind.POSTGRES, ServerKind.REDIS)
            .build();

    private RunningProfileApplication app;
    private InMemorySpanExporter spans;

    /** The exporter the example's spans go to in these tests; Spring Boot adds every SpanExporter bean. */
    @Configuration(proxyBeanMethods = false)
    static class InMemorySpans {
        @Bean
        InMemorySpanExporter inMemorySpanExporter() {
            return InMemorySpanExporter.create();
        }
    }

    @BeforeAll
    void startApplication() {
        List<String> more = new ArrayList<>(List.of("--region-router.health.interval=10m",
                "--region-router.redis.allow-plaintext=true", "--region-router.redis.global=signups:",
                "--region-router.redis.command-timeout=500ms",
                "--management.opentelemetry.tracing.export.schedule-delay=100ms"));
        for (String region : LOCAL_REGIONS.names()) {
            more.add("--region-router.redis.regions." + region + "=" + LOCAL_REGIONS.region(region).redis().uri());
        }
        app = RunningProfileApplication.start(LOCAL_REGIONS, Map.of(), "us", more, new Class<?>[] {InMemorySpans.class},
                "demo");
        spans = app.bean(InMemorySpanExporter.class);
        assertThat(RecordingLogs.active()).as("the tests' SLF4J provider, set by slf4j.provider in the POM").isTrue();
    }

    @AfterAll
    void stopApplication() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void aRequestForAnEuUser_isOneTrace_withTheRoutingDecisionTheCheckoutAndTheStatement_taggedEu() throws Exception {
        HttpResponse<String> created = app.send(postJson(app.request("/profiles").header(USER_HEADER, "ada"),
                "{\"displayName\":\"Ada\",\"homeRegion\":\"eu\"}"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        SpanData insert = await(s -> s.getName().equals("INSERT postgres"), "the INSERT's span");
        List<SpanData> trace = trace(insert.getTraceId());

        assertThat(trace).filteredOn(s -> s.getKind() == SpanKind.SERVER).hasSize(1);
        assertThat(insert.getAttributes().get(REGION)).isEqualTo("eu");
        assertThat(insert.getAttributes().get(SQL_KIND)).isEqualTo("INSERT");
        assertThat(insert.getAttributes().get(OUTCOME)).isEqualTo("ok");
        assertThat(trace).anySatisfy(s -> {
            assertThat(s.getName()).isEqualTo("route postgres");
            assertThat(s.getAttributes().get(REGION)).isEqualTo("eu");
        }).anySatisfy(s -> {
            assertThat(s.getName()).isEqualTo("checkout postgres");
            assertThat(s.getAttributes().get(REGION)).isEqualTo("eu");
            assertThat(s.getAttributes().get(OUTCOME)).isEqualTo("ok");
        });
        // the statement's text and values never reach region-router's spans
        assertThat(trace).filteredOn(s -> s.getAttributes().get(STORE) != null).hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(s -> assertThat(s.getAttributes().asMap().values()).noneMatch(v -> String.valueOf(v).contains("Ada")
                        || String.valueOf(v).contains("profiles") || String.valueOf(v).contains("ada")));
    }

    @Test
    void aRequestWithEusRedisPartitioned_showsThePostgresCallInEu_andEusRedisPartHinted_andEveryLibraryLineCarriesTheTrace_andTheReplayJoinsIt()
            throws Exception {
        LOCAL_REGIONS.region("eu").redis().partition();
        long mark = RecordingLogs.mark();
        SpanData euPart;
        List<RecordingLogs.Line> lines;
        try {
            HttpResponse<String> created = app.send(postJson(app.request("/profiles").header(USER_HEADER, "bea"),
                    "{\"displayName\":\"Bea\",\"homeRegion\":\"eu\"}"));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            euPart = await(s -> s.getName().equals("redis write eu") && "hinted".equals(s.getAttributes().get(OUTCOME)),
                    "eu's part of the Redis write, hinted");
            // the lines from the request until its trace is complete, before eu comes back
            lines = RecordingLogs.lines().stream().filter(l -> l.sequence() >= mark).toList();
        } finally {
            LOCAL_REGIONS.region("eu").redis().heal();
        }
        List<SpanData> trace = trace(euPart.getTraceId());

        assertThat(trace).filteredOn(s -> s.getKind() == SpanKind.SERVER).hasSize(1);
        assertThat(trace).anySatisfy(s -> {
            assertThat(s.getName()).isEqualTo("INSERT postgres");
            assertThat(s.getAttributes().get(REGION)).isEqualTo("eu");
            assertThat(s.getAttributes().get(OUTCOME)).isEqualTo("ok");
        }).anySatisfy(s -> {
            assertThat(s.getName()).isEqualTo("checkout postgres");
            assertThat(s.getAttributes().get(REGION)).isEqualTo("eu");
        }).anySatisfy(s -> {
            assertThat(s.getName()).isEqualTo("redis write us");
            assertThat(s.getAttributes().get(OUTCOME)).isEqualTo("acked");
        });
        SpanData write = trace.stream().filter(s -> s.getName().equals("redis write")).findFirst().orElseThrow();
        assertThat(euPart.getParentSpanId()).isEqualTo(write.getSpanId());

        assertThat(lines).as("region-router's log lines of the request").anySatisfy(l -> {
            assertThat(l.message()).contains("region eu missed a write; hint queued");
            assertThat(l.mdc()).containsEntry("region.router.region", "eu").containsEntry("region.router.store", "redis");
        });
        assertThat(lines).allSatisfy(l -> assertThat(l.mdc()).as("MDC of %s", l)
                .containsEntry("traceId", euPart.getTraceId()).doesNotContainValue("bea"));

        // eu is reachable again: the hint's replay joins the same trace, under eu's part of the write
        SpanData replay = await(s -> s.getName().equals("redis hint replay eu"), "the replay of eu's hint");
        assertThat(replay.getTraceId()).isEqualTo(euPart.getTraceId());
        assertThat(replay.getParentSpanId()).isEqualTo(euPart.getSpanId());
        assertThat(replay.getAttributes().get(OUTCOME)).isEqualTo("replayed");
    }

    private SpanData await(Predicate<SpanData> wanted, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<SpanData> found = spans.getFinishedSpanItems().stream().filter(wanted).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError(what + " was not exported within 30 s; exported: " + spans.getFinishedSpanItems()
                .stream().map(SpanData::getName).collect(Collectors.toList()));
    }

    private List<SpanData> trace(String traceId) {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).toList();
    }
}
