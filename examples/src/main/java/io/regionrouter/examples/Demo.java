package io.regionrouter.examples;

import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.ServerKind;
import java.time.Duration;
import java.util.List;

/**
  * The runnable demo: three regions (us, eu, ap) on embedded servers, seen from eu with an emulated
  * 40 ms one-way delay to the others, walked through step by step.
  *
  * <p>Each step prints a section and ends in {@code PASS} or {@code FAIL}, decided by real checks
  * against the servers. The process exits with status 1 if any step fails.
  *
  * <pre>{@code ./mvnw -B -ntp -q -pl examples -am compile exec:java}</pre>
  */
public final class Demo {

    static final List<String> REGIONS = List.of("us", "eu", "ap");
    static final String LOCAL = "eu";
    static final Duration ONE_WAY_DELAY = Duration.ofMillis(40);

    private Demo() {}

    public static void main(String[] args) throws Exception {
        // The testkit's TCP proxies log each connection they cannot pass on to a stopped server, with a
        // stack trace, at ERROR. Step 6 stops the us PostgreSQL on purpose, and the probes keep trying it.
        quiet("org.netcrusher");
        DemoConsole console = new DemoConsole(System.out);
        long start = System.nanoTime();
        boolean passed;
        try (LocalRegions regions = startRegions(console)) {
            DemoServices[] services = new DemoServices[1];
            console.withProgress("Connecting the library (pools, Redis, Mongo clients, health probes)",
                    () -> services[0] = DemoServices.start(regions));
            try (DemoServices library = services[0]) {
                DemoContext context = new DemoContext(regions, library, console);
                passed = console.runAll(List.of(new EndpointsStep()), context, 0);
                passed &= console.runAll(List.of(
                        new RoutingTableStep(),
                        new ResidencyStep(),
                        new LatencyStep(),
                        new RedisFanOutStep(),
                        new MongoStep(),
                        new MoveUserStep(),
                        new FailoverDrillStep()), context, 1); // last: it kills us's PostgreSQL
            }
        }
        console.summary(passed);
        System.out.printf("(%.1f s)%n", (System.nanoTime() - start) / 1e9);
        // Embedded servers and proxies leave non-daemon threads behind on some JDKs; end explicitly.
        System.exit(passed ? 0 : 1);
    }

    /** Turns a logger off unless the command line set its level (slf4j-simple and Maven's own logger read this). */
    private static void quiet(String logger) {
        String key = "org.slf4j.simpleLogger.log." + logger;
        if (System.getProperty(key) == null) {
            System.setProperty(key, "off");
        }
    }

    private static LocalRegions startRegions(DemoConsole console) {
        LocalRegions.Builder builder = LocalRegions.builder().interRegionDelay(ONE_WAY_DELAY);
        for (String region : REGIONS) {
            builder.region(region, ServerKind.POSTGRES, ServerKind.REDIS, ServerKind.MONGO);
        }
        LocalRegions regions = builder.build();
        console.withProgress("Starting PostgreSQL, Redis and a Mongo-wire server in " + REGIONS, regions::start);
        regions.viewFrom(LOCAL);
        return regions;
    }
}
