package io.regionrouter.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;

/** Runs only where Docker is available; elsewhere it is reported as skipped, with the reason. */
class DockerMongoIT {

    @Test
    void realMongo_runsATransaction() {
        try (DockerMongo mongo = DockerMongo.startOrSkip();
                MongoClient client = MongoClients.create(mongo.connectionString())) {
            MongoCollection<Document> col = client.getDatabase("app").getCollection("tx");
            col.insertOne(new Document("_id", 0));
            try (var session = client.startSession()) {
                session.withTransaction(() -> col.insertOne(session, new Document("_id", 1)));
            }
            assertThat(col.countDocuments()).isEqualTo(2);
        }
    }
}
