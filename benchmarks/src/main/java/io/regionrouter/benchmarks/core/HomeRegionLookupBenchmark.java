package io.regionrouter.benchmarks.core;

import io.regionrouter.core.CachingRegionDirectory;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.StaticRegionDirectory;
import io.regionrouter.core.Topology;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cached home-region lookup on the hit path, against a plain {@code ConcurrentHashMap.get} as
 * the baseline. Every user is loaded before measurement, so each call is a cache hit; the
 * {@code impl} parameter switches between the baseline and the router, so both are measured in
 * the same run and the ratio is what counts.
 *
 * <p>Run quickly (about a minute) and write JSON next to the other results:
 * <pre>{@code
 * ./mvnw -B -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar HomeRegionLookupBenchmark \
 *     -f 1 -wi 2 -w 2s -i 3 -r 3s -rf json -rff benchmarks/results/home-region-lookup.json
 * }</pre>
 * The mode is {@code SampleTime}, so JMH reports p50, p99 and p99.9 per implementation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@Threads(2)
public class HomeRegionLookupBenchmark {

  private static final int USERS = 16_384; // a power of two, so the index is a cheap mask
  private static final String[] REGIONS = {"us", "eu", "ap"};

  /** {@code map}: the baseline; {@code directory}: the Caffeine-backed directory; {@code router}: the full facade. */
  @Param({"map", "directory", "router"})
  public String impl;

  private String[] userIds;
  private ConcurrentHashMap<String, Region> map;
  private CachingRegionDirectory directory;
  private RegionRouter router;

  @Setup(Level.Trial)
  public void setUp() {
    userIds = new String[USERS];
    Map<String, Region> homes = new HashMap<>();
    for (int i = 0; i < USERS; i++) {
      userIds[i] = "user-" + i;
      homes.put(userIds[i], Region.of(REGIONS[i % REGIONS.length]));
    }
    map = new ConcurrentHashMap<>(homes);
    directory = CachingRegionDirectory.builder(StaticRegionDirectory.of(homes))
        .maximumSize(USERS * 2L)
        .expireAfterWrite(Duration.ofHours(1))
        .refreshAfterWrite(Duration.ofMinutes(30))
        .build();
    Topology topology = Topology.builder().regions(REGIONS).local("eu").primary("us").build();
    router = RegionRouter.builder(topology).directory(directory).build();
    for (String user : userIds) {
      if (!homes.get(user).equals(directory.lookup(user).orElseThrow())) {
        throw new IllegalStateException("warm-up lookup returned the wrong region for " + user);
      }
    }
  }

  @State(Scope.Thread)
  public static class Cursor {
    int next;
  }

  @Benchmark
  public Region lookup(Cursor cursor) {
    String user = userIds[cursor.next++ & (USERS - 1)];
    switch (impl) {
      case "map":
        return map.get(user);
      case "directory":
        return directory.lookup(user).orElseThrow();
      default:
        return router.homeRegion(user);
    }
  }
}
