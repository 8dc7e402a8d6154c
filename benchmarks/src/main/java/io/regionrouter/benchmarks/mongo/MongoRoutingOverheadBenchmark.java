package io.regionrouter.benchmarks.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.StaticRegionDirectory;
import io.regionrouter.core.Topology;
import io.regionrouter.mongo.RegionalMongoClients;
import io.regionrouter.mongo.RegionalMongoConfig;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.ServerKind;
import org.bson.Document;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What MongoDB routing costs on top of the bare driver, on the same mongo-java-server: a find by
 * {@code _id} and an upserting {@code replaceOne} (which the residency guard checks). {@code routed}
 * resolves the user's home cluster through {@code RegionalMongoClients.forUser} on every call, with
 * the region-bound proxies and the health probe running; {@code bare} uses one {@code MongoCollection}
 * of a plain client. Both run in the same JVM; the ratio is what counts.
 *
 * <pre>{@code
 * ./mvnw -B -q -pl mongo-routing install -DskipTests
 * flock /tmp/benchmarks.lock ./mvnw -B -q -pl benchmarks package -DskipTests
 * flock /tmp/benchmarks.lock java -jar benchmarks/target/benchmarks.jar MongoRoutingOverheadBenchmark \
 *     -f 1 -wi 2 -w 2s -i 3 -r 2s -rf json -rff benchmarks/results/mongo-routing-overhead.json
 * }</pre>
 * Throughput mode, operations per millisecond, one thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@Threads(1)
public class MongoRoutingOverheadBenchmark {

    /** {@code bare}: the driver alone; {@code routed}: forUser(..) on every call. */
    @Param({"bare", "routed"})
    public String target;

    private LocalRegions regions;
    private RegionRouter router;
    private RegionalMongoClients clients;
    private MongoClient bareClient;
    private MongoCollection<Document> bare;
    private final Document replacement = new Document("_id", 1).append("region", "eu").append("name", "bruno");
    private final ReplaceOptions upsert = new ReplaceOptions().upsert(true);

    @Setup(Level.Trial)
    public void setUp() {
        regions = LocalRegions.builder().region("eu", ServerKind.MONGO).build();
        regions.start();
        String uri = regions.region("eu").mongo().connectionString();
        router = RegionRouter.builder(Topology.builder().regions("eu").local("eu").primary("eu").build())
                .directory(StaticRegionDirectory.builder().user("bruno", "eu").build()).build();
        clients = RegionalMongoClients.builder(router).region("eu", uri)
                .config(RegionalMongoConfig.builder().database("app").build()).build();
        bareClient = MongoClients.create(uri);
        bare = bareClient.getDatabase("app").getCollection("profiles");
        bare.replaceOne(Filters.eq("_id", 1), replacement, upsert);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        clients.close();
        router.health().close();
        bareClient.close();
        regions.close();
    }

    private MongoCollection<Document> collection() {
        return target.equals("bare") ? bare : clients.forUser("bruno").getCollection("profiles");
    }

    @Benchmark
    public Document findById() {
        return collection().find(Filters.eq("_id", 1)).first();
    }

    @Benchmark
    public Object upsertGuarded() {
        return collection().replaceOne(Filters.eq("_id", 1), replacement, upsert);
    }
}
