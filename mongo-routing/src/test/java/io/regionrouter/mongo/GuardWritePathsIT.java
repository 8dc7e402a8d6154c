package io.regionrouter.mongo;

import com.mongodb.MongoServerException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.DeleteManyModel;
import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.Field;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateManyModel;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import io.regionrouter.core.HealthConfig;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.ResidencyViolationException;
import io.regionrouter.core.StaticRegionDirectory;
import io.regionrouter.core.Topology;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.ServerKind;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every write path of the README's guard table, against mongo-java-server, through both guarded
 * surfaces ({@code RegionalMongoClients.forUser} and {@code ResidencyGuard.wrap}): the wrongly homed
 * variant is refused before anything is sent and nothing lands in eu's cluster (read back with a raw
 * client); the correctly homed variant is applied.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GuardWritePathsIT {

    @RegisterExtension
    static final LocalRegions REGIONS = LocalRegions.builder()
            .region("us", ServerKind.MONGO)
            .region("eu", ServerKind.MONGO)
            .build();

    private static final Region EU = Region.of("eu");
    // eu data may be held in us as a read-only copy; us data stays in us
    private static final Topology TOPOLOGY = Topology.builder().regions("us", "eu", "ap").local("us").primary("us")
            .residency("eu", "us").build();
    private static final Document SEED = new Document("_id", 1).append("name", "bruno").append("region", "eu")
            .append("total", 10).append("tags", List.of("a"));

    private static final List<String> SENT = new CopyOnWriteArrayList<>();
    private static RegionHealth health;
    private static RegionalMongoClients clients;
    private static MongoClient rawEu;

    /** How the guarded database is obtained. */
    enum Surface {
        FOR_USER {
            @Override
            MongoDatabase database() {
                return clients.forUser("bruno");
            }
        },
        GUARD_WRAP {
            @Override
            MongoDatabase database() {
                return ResidencyGuard.of(TOPOLOGY, EU).wrap(clients.client(EU).getDatabase("app"));
            }
        };

        abstract MongoDatabase database();
    }

    /**
     * One row of the README's table.
     *
     * @param path the write path, as the README names it
     * @param wrong the wrongly homed (or unprovable) variant; must be refused ({@code null}: the path sets
     *     no region and passes unchanged)
     * @param refusal a part of the refusal's message: the operation and the operator or stage
     * @param right the correctly homed variant, or one that sets no region; must pass the guard
     * @param applied what the raw eu collection shows after {@code right}; {@code null} when
     *     mongo-java-server cannot run {@code right} (update pipelines, {@code $documents}, map-reduce):
     *     then the test checks that it passed the guard and reached the server, and the guard's
     *     decision on it is unit-tested
     */
    record Row(String path, Consumer<MongoDatabase> wrong, String refusal, Consumer<MongoDatabase> right,
               Consumer<MongoCollection<Document>> applied) {
        @Override
        public String toString() {
            return path;
        }
    }

    @BeforeAll
    static void startClients() {
        health = RegionHealth.builder().config(HealthConfig.builder().interval(Duration.ofMillis(300))
                .timeout(Duration.ofMillis(300)).build()).build();
        RegionRouter router = RegionRouter.builder(TOPOLOGY).health(health)
                .directory(StaticRegionDirectory.builder().user("bruno", "eu").build()).build();
        RegionalMongoClients.Builder b = RegionalMongoClients.builder(router).config(RegionalMongoConfig.builder().database("app").build())
                .settings((region, s) -> s.addCommandListener(new CommandListener() {
                    @Override
                    public void commandStarted(CommandStartedEvent event) {
                        if (!"ping".equals(event.getCommandName())) {
                            SENT.add(region + ":" + event.getCommandName());
                        }
                    }
                }));
        for (String name : REGIONS.names()) {
            b.region(name, REGIONS.region(name).mongo().connectionString());
        }
        clients = b.build();
        rawEu = MongoClients.create("mongodb://127.0.0.1:" + REGIONS.region("eu").mongo().directPort());
    }

    @AfterAll
    static void stopClients() {
        if (rawEu != null) {
            rawEu.close();
        }
        if (clients != null) {
            clients.close();
        }
        if (health != null) {
            health.close();
        }
    }

    @BeforeEach
    void seed() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!health.isUp(EU, io.regionrouter.core.Store.MONGO)) { // a previous row must not leave eu DOWN
            assertThat(System.nanoTime()).as("eu's MongoDB UP within 20 s").isLessThan(deadline);
            Thread.sleep(50);
        }
        rawEu.getDatabase("app").drop();
        raw().insertOne(new Document(SEED));
        SENT.clear();
    }

    private static MongoCollection<Document> raw() {
        return rawEu.getDatabase("app").getCollection("profiles");
    }

    private static MongoCollection<Document> profiles(MongoDatabase db) {
        return db.getCollection("profiles");
    }

    /** Rows with a variant to refuse: every path that can set or change the region field. */
    static Stream<Arguments> refused() {
        return rows(row -> row.wrong() != null);
    }

    /** Rows with an accepted variant. */
    static Stream<Arguments> accepted() {
        return rows(row -> row.right() != null);
    }

    private static Stream<Arguments> rows(java.util.function.Predicate<Row> which) {
        List<Arguments> arguments = new ArrayList<>();
        for (Surface surface : Surface.values()) {
            for (Row row : table()) {
                if (which.test(row)) {
                    arguments.add(Arguments.of(surface, row));
                }
            }
        }
        return arguments.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("refused")
    void wronglyHomed_isRefusedBeforeSending_andNothingLands(Surface surface, Row row) {
        MongoDatabase db = surface.database();

        assertThatThrownBy(() -> row.wrong().accept(db))
                .isInstanceOf(DocumentResidencyException.class)
                .isInstanceOf(ResidencyViolationException.class)
                .hasMessageContaining(row.refusal());

        assertThat(SENT).as("commands sent for a refused write").isEmpty();
        assertThat(raw().find().into(new ArrayList<>())).as("eu's profiles, read raw").containsExactly(SEED);
        assertThat(rawEu.getDatabase("app").listCollectionNames().into(new ArrayList<>()))
                .as("no output collection").containsExactly("profiles");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("accepted")
    void correctlyHomed_passesAndIsApplied(Surface surface, Row row) {
        MongoDatabase db = surface.database();

        if (row.applied() == null) {
            // mongo-java-server cannot run it: the guard let it through and the server answered with its own error
            assertThatThrownBy(() -> row.right().accept(db)).isInstanceOf(MongoServerException.class)
                    .isNotInstanceOf(ResidencyViolationException.class);
            assertThat(SENT).as("sent to eu").isNotEmpty().allMatch(command -> command.startsWith("eu:"));
            assertThat(raw().find().into(new ArrayList<>())).containsExactly(SEED);
            return;
        }
        row.right().accept(db);

        assertThat(SENT).as("sent to eu").isNotEmpty().allMatch(command -> command.startsWith("eu:"));
        row.applied().accept(raw());
        assertThat(raw().countDocuments(Filters.ne("region", "eu"))).as("documents in eu not homed in eu").isZero();
    }

    private static Consumer<MongoCollection<Document>> has(Bson filter, long count) {
        return raw -> assertThat(raw.countDocuments(filter)).as("documents matching " + filter).isEqualTo(count);
    }

    private static Document doc(String name, String region) {
        Document d = new Document("name", name);
        return region == null ? d : d.append("region", region);
    }

    private static RawBsonDocument twice(String first, String second) {
        // a document holding its region field twice; only raw BSON (or a custom codec) can write that
        org.bson.io.BasicOutputBuffer buffer = new org.bson.io.BasicOutputBuffer();
        try (org.bson.BsonBinaryWriter w = new org.bson.BsonBinaryWriter(buffer)) {
            w.writeStartDocument();
            w.writeString("name", "twice");
            w.writeString("region", first);
            w.writeString("region", second);
            w.writeEndDocument();
        }
        return new RawBsonDocument(buffer.toByteArray());
    }

    private static final UpdateOptions UPSERT = new UpdateOptions().upsert(true);

    @SuppressWarnings("deprecation") // mapReduce
    static List<Row> table() {
        List<Row> t = new ArrayList<>();
        // ---- documents
        t.add(new Row("insertOne", db -> profiles(db).insertOne(doc("x", "us")), "rejected insertOne: data homed in us",
                db -> profiles(db).insertOne(doc("x", "eu")), has(eq("name", "x"), 1)));
        t.add(new Row("insertOne without region", db -> profiles(db).insertOne(doc("x", null)), "is missing or null",
                db -> profiles(db).insertOne(doc("x", "eu")), has(eq("name", "x"), 1)));
        t.add(new Row("insertOne with region twice (raw BSON)",
                db -> db.getCollection("profiles", RawBsonDocument.class).insertOne(twice("eu", "us")), "appears 2 times",
                db -> db.getCollection("profiles", RawBsonDocument.class).insertOne(RawBsonDocument.parse(
                        "{name: 'twice', region: 'eu'}")), has(eq("name", "twice"), 1)));
        t.add(new Row("insertMany", db -> profiles(db).insertMany(List.of(doc("x", "eu"), doc("y", "ap"))),
                "insertMany (document 1)", db -> profiles(db).insertMany(List.of(doc("x", "eu"), doc("y", "eu"))),
                has(Filters.in("name", "x", "y"), 2)));
        t.add(new Row("replaceOne", db -> profiles(db).replaceOne(eq("_id", 1), doc("bruno", "us")),
                "replaceOne: data homed in us", db -> profiles(db).replaceOne(eq("_id", 1), doc("bruno2", "eu")),
                has(eq("name", "bruno2"), 1)));
        t.add(new Row("replaceOne upsert", db -> profiles(db).replaceOne(eq("_id", 2), doc("new", null),
                new ReplaceOptions().upsert(true)), "replaceOne: its field \"region\" is missing",
                db -> profiles(db).replaceOne(eq("_id", 2), doc("new", "eu"), new ReplaceOptions().upsert(true)),
                has(eq("_id", 2), 1)));
        t.add(new Row("findOneAndReplace", db -> profiles(db).findOneAndReplace(eq("_id", 1), doc("bruno", "ap")),
                "findOneAndReplace: data homed in ap may only be stored in [ap]",
                db -> profiles(db).findOneAndReplace(eq("_id", 1), doc("bruno2", "eu")), has(eq("name", "bruno2"), 1)));
        // ---- update operators
        t.add(new Row("updateOne $set", db -> profiles(db).updateOne(eq("_id", 1), Updates.set("region", "us")),
                "updateOne ($set of \"region\"): data homed in us",
                db -> profiles(db).updateOne(eq("_id", 1), Updates.combine(Updates.set("region", "eu"),
                        Updates.set("total", 11))), has(eq("total", 11), 1)));
        t.add(new Row("updateMany $set", db -> profiles(db).updateMany(Filters.empty(), Updates.set("region", "mars")),
                "updateMany ($set of \"region\"): its field \"region\" must be one of [us, eu, ap], but was \"mars\"",
                db -> profiles(db).updateMany(Filters.empty(), Updates.set("total", 12)), has(eq("total", 12), 1)));
        t.add(new Row("updateOne $setOnInsert (upsert)", db -> profiles(db).updateOne(eq("_id", 2),
                Updates.setOnInsert("region", "us"), UPSERT), "updateOne ($setOnInsert of \"region\")",
                db -> profiles(db).updateOne(eq("_id", 2), Updates.setOnInsert("region", "eu"), UPSERT), has(eq("_id", 2), 1)));
        t.add(new Row("updateOne $unset", db -> profiles(db).updateOne(eq("_id", 1), Updates.unset("region")),
                "updateOne ($unset of \"region\")",
                db -> profiles(db).updateOne(eq("_id", 1), Updates.unset("total")), has(Filters.exists("total"), 0)));
        t.add(new Row("updateOne $rename onto region", db -> profiles(db).updateOne(eq("_id", 1),
                Updates.rename("name", "region")), "updateOne ($rename onto \"region\")",
                db -> profiles(db).updateOne(eq("_id", 1), Updates.rename("name", "nickname")),
                has(eq("nickname", "bruno"), 1)));
        t.add(new Row("updateOne $rename of region", db -> profiles(db).updateOne(eq("_id", 1),
                Updates.rename("region", "oldRegion")), "updateOne ($rename of \"region\")",
                db -> profiles(db).updateOne(eq("_id", 1), Updates.rename("total", "sum")), has(eq("sum", 10), 1)));
        t.add(new Row("updateOne $min", db -> profiles(db).updateOne(eq("_id", 1), Updates.min("region", "ap")),
                "updateOne ($min of \"region\")",
                db -> profiles(db).updateOne(eq("_id", 1), Updates.min("total", 3)), has(eq("total", 3), 1)));
        t.add(new Row("updateOne $max", db -> profiles(db).updateOne(eq("_id", 1), Updates.max("region", "us")),
                "updateOne ($max of \"region\")",
                db -> profiles(db).updateOne(eq("_id", 1), Updates.max("total", 30)), has(eq("total", 30), 1)));
        t.add(new Row("updateOne $currentDate", db -> profiles(db).updateOne(eq("_id", 1), Updates.currentDate("region")),
                "updateOne ($currentDate of \"region\")",
                db -> profiles(db).updateOne(eq("_id", 1), Updates.currentDate("seen")), has(Filters.exists("seen"), 1)));
        t.add(new Row("updateOne $inc", db -> profiles(db).updateOne(eq("_id", 2), Updates.inc("region", 1), UPSERT),
                "updateOne ($inc of \"region\")",
                db -> profiles(db).updateOne(eq("_id", 1), Updates.inc("total", 1)), has(eq("total", 11), 1)));
        t.add(new Row("updateOne $mul", db -> profiles(db).updateOne(eq("_id", 1), Updates.mul("region", 2)),
                "updateOne ($mul of \"region\")",
                db -> profiles(db).updateOne(eq("_id", 1), Updates.mul("total", 2)), has(eq("total", 20), 1)));
        t.add(new Row("updateOne $push", db -> profiles(db).updateOne(eq("_id", 1), Updates.push("region", "us")),
                "updateOne ($push of \"region\")",
                db -> profiles(db).updateOne(eq("_id", 1), Updates.push("tags", "b")), has(eq("tags", "b"), 1)));
        t.add(new Row("updateOne $addToSet", db -> profiles(db).updateOne(eq("_id", 1), Updates.addToSet("region", "us")),
                "updateOne ($addToSet of \"region\")",
                db -> profiles(db).updateOne(eq("_id", 1), Updates.addToSet("tags", "c")), has(eq("tags", "c"), 1)));
        t.add(new Row("updateOne $pop", db -> profiles(db).updateOne(eq("_id", 1), Updates.popFirst("region")),
                "updateOne ($pop of \"region\")",
                db -> profiles(db).updateOne(eq("_id", 1), Updates.popFirst("tags")), has(Filters.size("tags", 0), 1)));
        t.add(new Row("updateOne $pull", db -> profiles(db).updateOne(eq("_id", 1), Updates.pull("region", "eu")),
                "updateOne ($pull of \"region\")",
                db -> profiles(db).updateOne(eq("_id", 1), Updates.pull("tags", "a")), has(Filters.size("tags", 0), 1)));
        t.add(new Row("updateOne $pullAll", db -> profiles(db).updateOne(eq("_id", 1), Updates.pullAll("region", List.of("eu"))),
                "updateOne ($pullAll of \"region\")",
                db -> profiles(db).updateOne(eq("_id", 1), Updates.pullAll("tags", List.of("a"))), has(Filters.size("tags", 0), 1)));
        t.add(new Row("updateOne $bit", db -> profiles(db).updateOne(eq("_id", 1), Updates.bitwiseOr("region", 1)),
                "updateOne ($bit of \"region\")",
                db -> profiles(db).updateOne(eq("_id", 1), Updates.bitwiseOr("total", 1)), null)); // no $bit in the test server
        t.add(new Row("updateOne $set of a path under region", db -> profiles(db).updateOne(eq("_id", 1),
                Updates.set("region.code", "us")), "updateOne ($set of \"region.code\")",
                db -> profiles(db).updateOne(eq("_id", 1), Updates.set("address.city", "Lyon")),
                has(eq("address.city", "Lyon"), 1)));
        // ---- upserts whose filter sets region
        t.add(new Row("updateOne upsert, region from the filter", db -> profiles(db).updateOne(
                Filters.and(eq("name", "new"), eq("region", "us")), Updates.set("total", 1), UPSERT),
                "updateOne (upsert) (filter's equality on \"region\"): data homed in us",
                db -> profiles(db).updateOne(Filters.and(eq("name", "new"), eq("region", "eu")), Updates.set("total", 1),
                        UPSERT), has(eq("name", "new"), 1)));
        t.add(new Row("updateOne upsert, no region anywhere", db -> profiles(db).updateOne(eq("name", "new"),
                Updates.set("total", 1), UPSERT), "neither the filter",
                db -> profiles(db).updateOne(eq("name", "new"), Updates.combine(Updates.set("total", 1),
                        Updates.setOnInsert("region", "eu")), UPSERT), has(eq("name", "new"), 1)));
        t.add(new Row("updateOne upsert, $in on region", db -> profiles(db).updateOne(Filters.in("region", "us"),
                Updates.set("total", 1), UPSERT), "updateOne (upsert) ($in on \"region\")",
                db -> profiles(db).updateOne(Filters.in("region", "us", "eu"), Updates.set("total", 1)), has(eq("total", 1), 1)));
        t.add(new Row("updateMany upsert, region from the filter", db -> profiles(db).updateMany(eq("region", "us"),
                Updates.set("total", 1), UPSERT), "updateMany (upsert) (filter's equality on \"region\")",
                db -> profiles(db).updateMany(eq("region", "eu"), Updates.set("total", 2), UPSERT), has(eq("total", 2), 1)));
        t.add(new Row("findOneAndUpdate upsert, region from the filter", db -> profiles(db).findOneAndUpdate(
                Filters.and(eq("name", "new"), eq("region", "us")), Updates.set("total", 1),
                new FindOneAndUpdateOptions().upsert(true)), "findOneAndUpdate (upsert) (filter's equality on \"region\")",
                db -> profiles(db).findOneAndUpdate(Filters.and(eq("name", "new"), eq("region", "eu")), Updates.set("total", 1),
                        new FindOneAndUpdateOptions().upsert(true)), has(eq("name", "new"), 1)));
        t.add(new Row("findOneAndUpdate $max", db -> profiles(db).findOneAndUpdate(eq("_id", 1), Updates.max("region", "us")),
                "findOneAndUpdate ($max of \"region\")",
                db -> profiles(db).findOneAndUpdate(eq("_id", 1), Updates.set("total", 5)), has(eq("total", 5), 1)));
        // ---- bulkWrite, every model
        t.add(new Row("bulkWrite InsertOneModel", db -> profiles(db).bulkWrite(List.of(new InsertOneModel<>(doc("x", "us")))),
                "bulkWrite (model 0, InsertOneModel): data homed in us",
                db -> profiles(db).bulkWrite(List.of(new InsertOneModel<>(doc("x", "eu")))), has(eq("name", "x"), 1)));
        t.add(new Row("bulkWrite ReplaceOneModel", db -> profiles(db).bulkWrite(List.of(
                new DeleteOneModel<>(eq("_id", 99)), new ReplaceOneModel<>(eq("_id", 1), doc("bruno", "us")))),
                "bulkWrite (model 1, ReplaceOneModel)",
                db -> profiles(db).bulkWrite(List.of(new ReplaceOneModel<>(eq("_id", 1), doc("bruno2", "eu")))),
                has(eq("name", "bruno2"), 1)));
        t.add(new Row("bulkWrite UpdateOneModel", db -> profiles(db).bulkWrite(List.of(
                new UpdateOneModel<>(eq("_id", 1), Updates.rename("name", "region")))),
                "bulkWrite (model 0, UpdateOneModel) ($rename onto \"region\")",
                db -> profiles(db).bulkWrite(List.of(new UpdateOneModel<>(eq("_id", 1), Updates.set("total", 4)))),
                has(eq("total", 4), 1)));
        t.add(new Row("bulkWrite UpdateOneModel upsert, region from the filter", db -> profiles(db).bulkWrite(List.of(
                new UpdateOneModel<>(eq("region", "us"), Updates.set("total", 1), UPSERT))),
                "bulkWrite (model 0, UpdateOneModel) (upsert) (filter's equality",
                db -> profiles(db).bulkWrite(List.of(new UpdateOneModel<>(Filters.and(eq("name", "new"), eq("region", "eu")),
                        Updates.set("total", 1), UPSERT))), has(eq("name", "new"), 1)));
        t.add(new Row("bulkWrite UpdateManyModel", db -> profiles(db).bulkWrite(List.of(
                new UpdateManyModel<>(Filters.empty(), Updates.max("region", "us")))),
                "bulkWrite (model 0, UpdateManyModel) ($max of \"region\")",
                db -> profiles(db).bulkWrite(List.of(new UpdateManyModel<>(Filters.empty(), Updates.set("total", 6)))),
                has(eq("total", 6), 1)));
        t.add(new Row("deleteOne, deleteMany, findOneAndDelete", null, null,
                db -> {
                    profiles(db).insertMany(List.of(doc("x", "eu"), doc("y", "eu")));
                    profiles(db).deleteOne(eq("name", "x"));
                    profiles(db).findOneAndDelete(eq("name", "y"));
                    profiles(db).deleteMany(eq("region", "eu"));
                }, has(Filters.empty(), 0)));
        t.add(new Row("bulkWrite DeleteOneModel, DeleteManyModel", null, null,
                db -> profiles(db).bulkWrite(List.of(new DeleteOneModel<>(eq("_id", 1)), new DeleteManyModel<>(eq("name", "x")))),
                has(Filters.empty(), 0)));
        // ---- update pipelines
        t.add(new Row("updateOne pipeline $set", db -> profiles(db).updateOne(eq("_id", 1),
                List.of(Aggregates.set(new Field<>("region", "us")))), "updateOne (pipeline stage 0, $set): data homed in us",
                db -> profiles(db).updateOne(eq("_id", 1), List.of(Aggregates.set(new Field<>("total", 7)))), null));
        t.add(new Row("updateOne pipeline $addFields computing region", db -> profiles(db).updateOne(eq("_id", 1),
                List.of(Aggregates.addFields(new Field<>("region", new Document("$concat", List.of("u", "s")))))),
                "updateOne (pipeline stage 0, $addFields)",
                db -> profiles(db).updateOne(eq("_id", 1), List.of(Aggregates.addFields(new Field<>("region", "eu")),
                        Aggregates.addFields(new Field<>("total", 8)))), null));
        t.add(new Row("updateOne pipeline $unset", db -> profiles(db).updateOne(eq("_id", 1),
                List.of(Aggregates.unset("region"))), "updateOne (pipeline stage 0, $unset)",
                db -> profiles(db).updateOne(eq("_id", 1), List.of(Aggregates.unset("total"))), null));
        t.add(new Row("updateOne pipeline $project", db -> profiles(db).updateOne(eq("_id", 1),
                List.of(Aggregates.project(Projections.include("name")))), "updateOne (pipeline stage 0, $project)",
                db -> profiles(db).updateOne(eq("_id", 1), List.of(Aggregates.project(Projections.exclude("total")))), null));
        t.add(new Row("updateOne pipeline $replaceRoot", db -> profiles(db).updateOne(eq("_id", 1),
                List.of(Aggregates.replaceRoot(new Document("name", "$name")))), "updateOne (pipeline stage 0, $replaceRoot)",
                db -> profiles(db).updateOne(eq("_id", 1), List.of(Aggregates.replaceRoot(
                        new Document("_id", "$_id").append("name", "$name").append("region", "eu")))), null));
        t.add(new Row("updateOne pipeline $replaceWith", db -> profiles(db).updateOne(eq("_id", 1),
                List.of(Aggregates.replaceWith(new Document("$mergeObjects", List.of("$$ROOT",
                        new Document("region", "us")))))), "updateOne (pipeline stage 0, $replaceWith): data homed in us",
                db -> profiles(db).updateOne(eq("_id", 1), List.of(Aggregates.replaceWith(new Document("$mergeObjects",
                        List.of("$$ROOT", new Document("total", 9)))))), null));
        t.add(new Row("updateMany pipeline", db -> profiles(db).updateMany(Filters.empty(),
                List.of(Aggregates.set(new Field<>("region", "$name")))), "updateMany (pipeline stage 0, $set)",
                db -> profiles(db).updateMany(Filters.empty(), List.of(Aggregates.set(new Field<>("total", 13)))), null));
        t.add(new Row("findOneAndUpdate pipeline", db -> profiles(db).findOneAndUpdate(eq("_id", 1),
                List.of(Aggregates.unset("region"))), "findOneAndUpdate (pipeline stage 0, $unset)",
                db -> profiles(db).findOneAndUpdate(eq("_id", 1), List.of(Aggregates.set(new Field<>("total", 14)))), null));
        t.add(new Row("bulkWrite UpdateOneModel pipeline", db -> profiles(db).bulkWrite(List.of(new UpdateOneModel<>(
                eq("_id", 1), List.of(Aggregates.set(new Field<>("region", "us")))))),
                "bulkWrite (model 0, UpdateOneModel) (pipeline stage 0, $set)",
                db -> profiles(db).bulkWrite(List.of(new UpdateOneModel<>(eq("_id", 1),
                        List.of(Aggregates.set(new Field<>("total", 15)))))), null));
        // ---- aggregation and map-reduce output
        t.add(new Row("aggregate $out", db -> profiles(db).aggregate(List.of(Aggregates.match(Filters.empty()),
                Aggregates.out("copy"))).toCollection(), "aggregate ($out)",
                db -> assertThat(profiles(db).aggregate(List.of(Aggregates.match(eq("_id", 1)))).first()).isEqualTo(SEED),
                has(Filters.empty(), 1)));
        t.add(new Row("aggregate $merge", db -> profiles(db).aggregate(List.of(Aggregates.set(new Field<>("region", "us")),
                Aggregates.merge("profiles"))).first(), "aggregate ($merge)",
                db -> assertThat(profiles(db).aggregate(List.of(Aggregates.addFields(new Field<>("region", "us")))).first())
                        .containsEntry("region", "us"), has(eq("region", "eu"), 1)));
        t.add(new Row("database aggregate $out", db -> db.aggregate(List.of(new Document("$documents",
                List.of(doc("x", "us"))), Aggregates.out("profiles"))).first(), "aggregate ($out)",
                db -> db.aggregate(List.of(new Document("$documents", List.of(doc("x", "us"))))).first(), null));
        t.add(new Row("mapReduce into a collection", db -> profiles(db).mapReduce("function() { emit(this._id, 1); }",
                "function(k, v) { return 1; }").collectionName("copy").toCollection(), "mapReduce (collectionName)",
                db -> profiles(db).mapReduce("function() { emit(this._id, 1); }", "function(k, v) { return 1; }").first(),
                null));
        // ---- runCommand
        t.add(new Row("runCommand insert", db -> db.runCommand(new Document("insert", "profiles")
                .append("documents", List.of(doc("x", "eu"), doc("y", "us")))), "runCommand insert (document 1): data homed in us",
                db -> db.runCommand(new Document("insert", "profiles").append("documents", List.of(doc("x", "eu")))),
                has(eq("name", "x"), 1)));
        t.add(new Row("runCommand insert with region twice (raw BSON)", db -> db.runCommand(new BsonDocument("insert",
                new BsonString("profiles")).append("documents", new org.bson.BsonArray(List.of(twice("eu", "us"))))),
                "runCommand insert (document 0): its field \"region\" appears 2 times",
                db -> db.runCommand(new BsonDocument("insert", new BsonString("profiles")).append("documents",
                        new org.bson.BsonArray(List.of(BsonDocument.parse("{name: 'twice', region: 'eu'}"))))),
                has(eq("name", "twice"), 1)));
        t.add(new Row("runCommand update", db -> db.runCommand(Document.parse(
                "{update: 'profiles', updates: [{q: {_id: 1}, u: {$set: {region: 'us'}}}]}")),
                "runCommand update (statement 0) ($set of \"region\"): data homed in us",
                db -> db.runCommand(Document.parse("{update: 'profiles', updates: [{q: {_id: 1}, u: {$set: {total: 16}}}]}")),
                has(eq("total", 16), 1)));
        t.add(new Row("runCommand update upsert, region from the filter", db -> db.runCommand(Document.parse(
                "{update: 'profiles', updates: [{q: {region: 'us'}, u: {$set: {total: 1}}, upsert: true}]}")),
                "runCommand update (statement 0) (upsert) (filter's equality on \"region\")",
                db -> db.runCommand(Document.parse(
                        "{update: 'profiles', updates: [{q: {name: 'new', region: 'eu'}, u: {$set: {total: 1}}, upsert: true}]}")),
                has(eq("name", "new"), 1)));
        t.add(new Row("runCommand update, replacement", db -> db.runCommand(Document.parse(
                "{update: 'profiles', updates: [{q: {_id: 1}, u: {name: 'bruno'}}]}")),
                "runCommand update (statement 0) (replacement): its field \"region\" is missing",
                db -> db.runCommand(Document.parse("{update: 'profiles', updates: [{q: {_id: 1}, u: {name: 'b2', region: 'eu'}}]}")),
                has(eq("name", "b2"), 1)));
        t.add(new Row("runCommand update, pipeline", db -> db.runCommand(Document.parse(
                "{update: 'profiles', updates: [{q: {_id: 1}, u: [{$set: {region: {$toUpper: '$region'}}}]}]}")),
                "runCommand update (statement 0) (pipeline stage 0, $set)",
                db -> db.runCommand(Document.parse("{update: 'profiles', updates: [{q: {_id: 1}, u: [{$set: {total: 17}}]}]}")),
                null));
        t.add(new Row("runCommand findAndModify", db -> db.runCommand(Document.parse(
                "{findAndModify: 'profiles', query: {_id: 1}, update: {$max: {region: 'us'}}}")),
                "runCommand findAndModify ($max of \"region\")",
                db -> db.runCommand(Document.parse("{findAndModify: 'profiles', query: {_id: 1}, update: {$set: {total: 18}}}")),
                has(eq("total", 18), 1)));
        t.add(new Row("runCommand findAndModify upsert", db -> db.runCommand(Document.parse(
                "{findAndModify: 'profiles', query: {name: 'new'}, update: {$set: {total: 1}}, upsert: true}")),
                "runCommand findAndModify (upsert): neither the filter",
                db -> db.runCommand(Document.parse(
                        "{findAndModify: 'profiles', query: {name: 'new', region: 'eu'}, update: {$set: {total: 1}}, upsert: true}")),
                has(eq("name", "new"), 1)));
        t.add(new Row("runCommand delete", null, null,
                db -> db.runCommand(Document.parse("{delete: 'profiles', deletes: [{q: {_id: 1}, limit: 1}]}")),
                has(Filters.empty(), 0)));
        t.add(new Row("runCommand aggregate $out", db -> db.runCommand(Document.parse(
                "{aggregate: 'profiles', pipeline: [{$match: {}}, {$out: 'copy'}], cursor: {}}")),
                "runCommand aggregate ($out)",
                db -> assertThat(db.runCommand(Document.parse("{aggregate: 'profiles', pipeline: [{$match: {}}], cursor: {}}"))
                        .get("cursor", Document.class).getList("firstBatch", Document.class)).containsExactly(SEED),
                has(Filters.empty(), 1)));
        t.add(new Row("runCommand aggregate $merge", db -> db.runCommand(Document.parse(
                "{aggregate: 'profiles', pipeline: [{$set: {region: 'us'}}, {$merge: {into: 'profiles'}}], cursor: {}}")),
                "runCommand aggregate ($merge)",
                db -> assertThat(db.runCommand(Document.parse(
                        "{aggregate: 'profiles', pipeline: [{$addFields: {region: 'us'}}], cursor: {}}"))
                        .get("cursor", Document.class).getList("firstBatch", Document.class).get(0))
                        .containsEntry("region", "us"), has(eq("region", "eu"), 1)));
        t.add(new Row("runCommand mapReduce into a collection", db -> db.runCommand(Document.parse(
                "{mapReduce: 'profiles', map: 'function() {}', reduce: 'function(k, v) {}', out: 'copy'}")),
                "runCommand mapReduce (out)", db -> db.runCommand(Document.parse(
                        "{mapReduce: 'profiles', map: 'function() {}', reduce: 'function(k, v) {}', out: {inline: 1}}")),
                null));
        t.add(new Row("runCommand of another command", db -> db.runCommand(Document.parse(
                "{applyOps: [{op: 'i', ns: 'app.profiles', o: {_id: 3, region: 'us'}}]}")), "runCommand applyOps",
                db -> assertThat(db.runCommand(Document.parse("{count: 'profiles'}")).get("n", Number.class).intValue())
                        .isEqualTo(1), has(Filters.empty(), 1)));
        return t;
    }

    @Test
    void table_namesEachPathOnce() {
        assertThat(table()).extracting(Row::path).doesNotHaveDuplicates();
    }
}
