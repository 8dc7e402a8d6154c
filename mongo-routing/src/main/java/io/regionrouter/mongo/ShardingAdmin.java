package io.regionrouter.mongo;

import com.mongodb.client.MongoClient;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The few operations {@link ZoneSharding} needs from a sharded cluster: run an admin command and read
 * the {@code config} database. {@link #of(MongoClient)} adapts a client connected to a {@code mongos}.
 *
 * <p>Implementations must be safe for use by one thread at a time; methods may throw the driver's
 * exceptions, which {@link ZoneSharding} passes on unchanged.
 */
public interface ShardingAdmin {

    /** Runs {@code command} against the {@code admin} database and returns the reply. */
    Document runAdminCommand(Document command);

    /** Reads the documents of {@code config.<collection>} that match {@code filter}. */
    List<Document> readConfig(String collection, Bson filter);

    /** An admin backed by a client connected to a {@code mongos}. */
    static ShardingAdmin of(MongoClient client) {
        Objects.requireNonNull(client, "client");
        return new ShardingAdmin() {
            @Override
            public Document runAdminCommand(Document command) {
                return client.getDatabase("admin").runCommand(command);
            }

            @Override
            public List<Document> readConfig(String collection, Bson filter) {
                return client.getDatabase("config").getCollection(collection).find(filter).into(new ArrayList<>());
            }
        };
    }
}
