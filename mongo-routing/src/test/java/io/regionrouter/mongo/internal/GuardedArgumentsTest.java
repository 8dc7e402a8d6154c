package io.regionrouter.mongo.internal;

import com.mongodb.MongoNamespace;
import com.mongodb.client.ClientSession;
import com.mongodb.client.MapReduceIterable;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.Field;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.UpdateManyModel;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.regionrouter.core.Region;
import io.regionrouter.core.ResidencyViolationException;
import io.regionrouter.mongo.DocumentResidencyException;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static com.mongodb.client.model.Filters.eq;
import static io.regionrouter.mongo.internal.GuardFixtures.CODECS;
import static io.regionrouter.mongo.internal.GuardFixtures.EU_GUARD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The guarded proxies' decision on the arguments of each driver method, for the paths whose accepted
 * variant mongo-java-server cannot run (update pipelines, map-reduce, {@code ClientSession} overloads)
 * and for the driver overloads an integration test does not reach. The delegate records what reaches
 * it: a refused call never does.
 */
class GuardedArgumentsTest {

    private final List<String> delegated = new ArrayList<>();

    @SuppressWarnings("unchecked")
    private <T> T recording(Class<T> type) {
        return (T) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            switch (method.getName()) {
                case "getCodecRegistry":
                    return CODECS;
                case "getDocumentClass":
                    return Document.class;
                case "getNamespace":
                    return new MongoNamespace("app.profiles");
                case "getName":
                    return "app";
                case "toString":
                    return "recording " + type.getSimpleName();
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return proxy == args[0];
                default:
                    delegated.add(method.getName());
                    if (method.getReturnType() == MapReduceIterable.class) {
                        return recording(MapReduceIterable.class);
                    }
                    if (method.getReturnType() == MongoCollection.class) {
                        return recording(MongoCollection.class);
                    }
                    return method.getReturnType() == boolean.class ? false : null;
            }
        });
    }

    @SuppressWarnings("unchecked")
    private MongoCollection<Document> collection() {
        return EU_GUARD.wrap((MongoCollection<Document>) recording(MongoCollection.class));
    }

    private MongoDatabase database(Runnable writeCheck) {
        return RegionBoundProxies.database(recording(MongoDatabase.class),
                new RegionBinding(Region.of("eu"), "bruno", EU_GUARD, null, writeCheck, null, null));
    }

    @Test
    void updatePipelines_everyOverload_areInspected() {
        MongoCollection<Document> c = collection();
        ClientSession session = null;
        var bad = List.of(Aggregates.set(new Field<>("region", "us")));
        var good = List.of(Aggregates.set(new Field<>("total", 1)));

        assertThatThrownBy(() -> c.updateOne(eq("_id", 1), bad)).isInstanceOf(DocumentResidencyException.class)
                .hasMessageContaining("updateOne (pipeline stage 0, $set): data homed in us");
        assertThatThrownBy(() -> c.updateMany(session, eq("_id", 1), bad, new UpdateOptions()))
                .hasMessageContaining("updateMany (pipeline stage 0, $set)");
        assertThatThrownBy(() -> c.findOneAndUpdate(session, eq("_id", 1), bad))
                .hasMessageContaining("findOneAndUpdate (pipeline stage 0, $set)");
        assertThatThrownBy(() -> c.bulkWrite(List.of(new UpdateManyModel<>(eq("_id", 1), bad))))
                .hasMessageContaining("bulkWrite (model 0, UpdateManyModel) (pipeline stage 0, $set)");
        assertThat(delegated).isEmpty();

        c.updateOne(eq("_id", 1), good);
        c.updateMany(session, eq("_id", 1), good, new UpdateOptions());
        c.findOneAndUpdate(eq("_id", 1), good, new FindOneAndUpdateOptions());
        c.bulkWrite(List.of(new UpdateOneModel<>(eq("_id", 1), good), new DeleteOneModel<>(eq("_id", 2))));
        assertThat(delegated).containsExactly("updateOne", "updateMany", "findOneAndUpdate", "bulkWrite");
    }

    @Test
    void upsertOption_isReadFromEachOptionsClass() {
        MongoCollection<Document> c = collection();
        var noRegion = Updates.set("total", 1);

        assertThatThrownBy(() -> c.updateOne(eq("name", "x"), noRegion, new UpdateOptions().upsert(true)))
                .hasMessageContaining("updateOne (upsert): neither the filter");
        assertThatThrownBy(() -> c.updateMany(null, eq("name", "x"), noRegion, new UpdateOptions().upsert(true)))
                .hasMessageContaining("updateMany (upsert)");
        assertThatThrownBy(() -> c.findOneAndUpdate(eq("name", "x"), noRegion, new FindOneAndUpdateOptions().upsert(true)))
                .hasMessageContaining("findOneAndUpdate (upsert)");
        assertThatThrownBy(() -> c.findOneAndUpdate(eq("name", "x"), List.of(Aggregates.set(new Field<>("total", 1))),
                new FindOneAndUpdateOptions().upsert(true))).hasMessageContaining("findOneAndUpdate (upsert)");
        assertThatThrownBy(() -> c.bulkWrite(List.of(new UpdateOneModel<>(eq("name", "x"), noRegion,
                new UpdateOptions().upsert(true))))).hasMessageContaining("bulkWrite (model 0, UpdateOneModel) (upsert)");
        assertThat(delegated).isEmpty();

        c.updateOne(eq("name", "x"), noRegion, new UpdateOptions().upsert(false));
        c.findOneAndUpdate(eq("name", "x"), noRegion, new FindOneAndUpdateOptions());
        assertThat(delegated).containsExactly("updateOne", "findOneAndUpdate");
    }

    @Test
    void sessionOverloads_ofDocumentWrites_areInspected() {
        MongoCollection<Document> c = collection();
        assertThatThrownBy(() -> c.insertOne(null, new Document("region", "us")))
                .hasMessageContaining("insertOne: data homed in us");
        assertThatThrownBy(() -> c.insertMany(null, List.of(new Document("region", "eu"), new Document())))
                .hasMessageContaining("insertMany (document 1): its field \"region\" is missing");
        assertThatThrownBy(() -> c.replaceOne(null, eq("_id", 1), new Document("region", "ap")))
                .hasMessageContaining("replaceOne: data homed in ap");
        assertThatThrownBy(() -> c.bulkWrite(null, List.of(new InsertOneModel<>(new Document("region", "us")))))
                .hasMessageContaining("bulkWrite (model 0, InsertOneModel)");
        assertThat(delegated).isEmpty();
    }

    @Test
    void bulkWrite_anUnknownModel_isRefused() {
        MongoCollection<Document> c = collection();
        assertThatThrownBy(() -> c.bulkWrite(Arrays.asList(new DeleteOneModel<>(eq("_id", 1)), null)))
                .isInstanceOf(DocumentResidencyException.class)
                .hasMessageContaining("bulkWrite (model 1, null): the guard does not know this write model");
        assertThat(delegated).isEmpty();
    }

    @Test
    @SuppressWarnings("deprecation")
    void mapReduce_inlinePasses_intoACollectionIsRefused() {
        MongoCollection<Document> c = collection();
        MapReduceIterable<Document> mapReduce = c.mapReduce("function() {}", "function(k, v) {}");
        mapReduce.limit(10).first();
        assertThat(delegated).containsExactly("mapReduce", "limit", "first");

        assertThatThrownBy(() -> c.mapReduce("function() {}", "function(k, v) {}").collectionName("copy"))
                .isInstanceOf(DocumentResidencyException.class)
                .hasMessageContaining("mapReduce (collectionName): the guard cannot prove the region");
        assertThat(delegated).containsExactly("mapReduce", "limit", "first", "mapReduce");
    }

    @Test
    void aggregate_withOutputStage_isRefused_onCollectionAndDatabase_otherwisePasses() {
        MongoCollection<Document> c = collection();
        MongoDatabase db = database(null);
        assertThatThrownBy(() -> c.aggregate(null, List.of(Aggregates.out("copy")), Document.class))
                .hasMessageContaining("aggregate ($out)");
        assertThatThrownBy(() -> db.aggregate(List.of(Aggregates.merge("profiles")))).hasMessageContaining("aggregate ($merge)");
        assertThat(delegated).isEmpty();

        c.aggregate(List.of(Aggregates.match(eq("region", "us"))));
        db.aggregate(List.of(Aggregates.match(eq("region", "us"))), Document.class);
        assertThat(delegated).containsExactly("aggregate", "aggregate");
    }

    @Test
    void runCommand_everyOverload_isInspected() {
        MongoDatabase db = database(null);
        Document bad = Document.parse("{insert: 'profiles', documents: [{region: 'us'}]}");
        assertThatThrownBy(() -> db.runCommand(bad)).hasMessageContaining("runCommand insert (document 0)");
        assertThatThrownBy(() -> db.runCommand(bad, com.mongodb.ReadPreference.primary()))
                .hasMessageContaining("runCommand insert");
        assertThatThrownBy(() -> db.runCommand(null, bad, Document.class)).hasMessageContaining("runCommand insert");
        assertThatThrownBy(() -> db.runCommand(null, bad, com.mongodb.ReadPreference.primary(), Document.class))
                .hasMessageContaining("runCommand insert");
        assertThat(delegated).isEmpty();

        db.runCommand(Document.parse("{insert: 'profiles', documents: [{region: 'eu'}]}"));
        db.runCommand(new Document("ping", 1));
        assertThat(delegated).containsExactly("runCommand", "runCommand");
    }

    @Test
    void runCommand_ofAWriteCommand_runsTheWriteCheckOfAReadRoute_readsDoNot() {
        MongoDatabase db = database(() -> {
            throw new ResidencyViolationException("bruno's data may not be written in us", "bruno", Region.of("eu"),
                    Region.of("us"));
        });
        assertThatThrownBy(() -> db.runCommand(Document.parse("{delete: 'profiles', deletes: [{q: {}, limit: 0}]}")))
                .isInstanceOf(ResidencyViolationException.class).hasMessageContaining("may not be written in us");
        assertThat(delegated).isEmpty();

        db.runCommand(Document.parse("{find: 'profiles'}"));
        assertThat(delegated).containsExactly("runCommand");
    }

    /** Regression: a collection that was itself a dynamic proxy (a decorator, a mock) was handed out unguarded. */
    @Test
    void aCollectionThatIsAnotherLibrarysProxy_isStillGuarded_andSoAreItsCopies() {
        MongoDatabase db = database(null);
        MongoCollection<Document> c = db.getCollection("profiles").withDocumentClass(Document.class);
        assertThatThrownBy(() -> c.insertOne(new Document("region", "us"))).isInstanceOf(DocumentResidencyException.class);
    }
}
