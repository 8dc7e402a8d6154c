package io.regionrouter.mongo;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoClient;
import java.util.Objects;
import java.util.Optional;
import org.bson.Document;

/**
 * The two operations {@link ReplicaSetPlan} needs from a replica set: read its configuration and run
 * an admin command. {@link #of(MongoClient)} adapts a client connected to the set.
 *
 * <p>Implementations must be safe for use by one thread at a time; methods may throw the driver's
 * exceptions, which the plan passes on unchanged.
 */
public interface ReplicaSetAdmin {

    /** MongoDB's error code for a set that has not been initiated. */
    int NOT_YET_INITIALIZED = 94;

    /**
     * The set's current configuration, the {@code config} field of {@code replSetGetConfig}'s reply.
     *
     * @return the configuration, or empty when the set has not been initiated yet
     */
    Optional<Document> currentConfig();

    /**
     * Runs a command against the {@code admin} database.
     *
     * @param command the command, such as {@code {replSetReconfig: {...}}}
     * @return the reply
     */
    Document runAdminCommand(Document command);

    /**
     * An admin backed by a client connected to the replica set (or to one member, directly, for a
     * set not yet initiated).
     *
     * @param client the client; its user needs the {@code clusterManager} role
     * @return the admin
     */
    static ReplicaSetAdmin of(MongoClient client) {
        Objects.requireNonNull(client, "client");
        return new ReplicaSetAdmin() {
            @Override
            public Optional<Document> currentConfig() {
                try {
                    return Optional.ofNullable(runAdminCommand(new Document("replSetGetConfig", 1)).get("config", Document.class));
                } catch (MongoCommandException e) {
                    if (e.getErrorCode() == NOT_YET_INITIALIZED) {
                        return Optional.empty();
                    }
                    throw e;
                }
            }

            @Override
            public Document runAdminCommand(Document command) {
                return client.getDatabase("admin").runCommand(command);
            }
        };
    }
}
