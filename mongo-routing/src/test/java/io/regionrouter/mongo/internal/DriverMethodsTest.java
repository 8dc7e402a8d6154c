package io.regionrouter.mongo.internal;

import com.mongodb.client.AggregateIterable;
import com.mongodb.client.FindIterable;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.MongoIterable;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** Which driver calls count as calls to the server (health successes) and which write documents. */
class DriverMethodsTest {

    private static Method method(Class<?> type, String name, Class<?>... parameters) throws NoSuchMethodException {
        return type.getMethod(name, parameters);
    }

    @Test
    void talksToServer_operationsAndCursorOpeningsDo_buildersGettersAndCopiesDoNot() throws Exception {
        assertThat(DriverMethods.talksToServer(method(MongoCollection.class, "insertOne", Object.class))).isTrue();
        assertThat(DriverMethods.talksToServer(method(MongoCollection.class, "countDocuments"))).isTrue();
        assertThat(DriverMethods.talksToServer(method(MongoCollection.class, "drop"))).isTrue();
        assertThat(DriverMethods.talksToServer(method(MongoDatabase.class, "runCommand", Bson.class))).isTrue();
        assertThat(DriverMethods.talksToServer(method(MongoIterable.class, "first"))).isTrue();
        assertThat(DriverMethods.talksToServer(method(MongoIterable.class, "iterator"))).isTrue();
        assertThat(DriverMethods.talksToServer(method(MongoIterable.class, "cursor"))).isTrue();
        assertThat(DriverMethods.talksToServer(method(MongoIterable.class, "into", java.util.Collection.class))).isTrue();
        assertThat(DriverMethods.talksToServer(method(Iterable.class, "forEach", Consumer.class))).isTrue();
        assertThat(DriverMethods.talksToServer(method(FindIterable.class, "explain"))).isTrue();

        assertThat(DriverMethods.talksToServer(method(MongoCollection.class, "find"))).isFalse();
        assertThat(DriverMethods.talksToServer(method(MongoCollection.class, "aggregate", List.class))).isFalse();
        assertThat(DriverMethods.talksToServer(method(FindIterable.class, "filter", Bson.class))).isFalse();
        assertThat(DriverMethods.talksToServer(method(MongoIterable.class, "batchSize", int.class))).isFalse();
        assertThat(DriverMethods.talksToServer(method(MongoDatabase.class, "getCollection", String.class))).isFalse();
        assertThat(DriverMethods.talksToServer(method(MongoDatabase.class, "withTimeout", long.class, TimeUnit.class)))
                .isFalse();
        assertThat(DriverMethods.talksToServer(method(MongoCollection.class, "getNamespace"))).isFalse();
    }

    @Test
    void isDocumentWrite_coversCollectionWritesAndAggregationOutput_notReads() throws Exception {
        assertThat(DriverMethods.isDocumentWrite(method(MongoCollection.class, "insertOne", Object.class))).isTrue();
        assertThat(DriverMethods.isDocumentWrite(method(MongoCollection.class, "insertMany", List.class))).isTrue();
        assertThat(DriverMethods.isDocumentWrite(method(MongoCollection.class, "updateMany", Bson.class, Bson.class))).isTrue();
        assertThat(DriverMethods.isDocumentWrite(method(MongoCollection.class, "deleteOne", Bson.class))).isTrue();
        assertThat(DriverMethods.isDocumentWrite(method(MongoCollection.class, "findOneAndReplace", Bson.class, Object.class)))
                .isTrue();
        assertThat(DriverMethods.isDocumentWrite(method(MongoCollection.class, "bulkWrite", List.class))).isTrue();
        assertThat(DriverMethods.isDocumentWrite(method(AggregateIterable.class, "toCollection"))).isTrue();

        assertThat(DriverMethods.isDocumentWrite(method(MongoCollection.class, "find", Bson.class))).isFalse();
        assertThat(DriverMethods.isDocumentWrite(method(MongoCollection.class, "countDocuments"))).isFalse();
        assertThat(DriverMethods.isDocumentWrite(method(MongoIterable.class, "first"))).isFalse();
    }

    @Test
    void cursors_areTheOnlyDriverObjectsWhoseMethodsFetch() {
        assertThat(DriverMethods.isCursorType(MongoCursor.class)).isTrue();
        assertThat(DriverMethods.isCursorType(com.mongodb.client.MongoChangeStreamCursor.class)).isTrue();
        assertThat(DriverMethods.isCursorType(FindIterable.class)).isFalse();
        assertThat(DriverMethods.isCursorType(Document.class)).isFalse();
    }
}
