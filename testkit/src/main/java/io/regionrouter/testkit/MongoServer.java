package io.regionrouter.testkit;

/**
 * A MongoDB wire-protocol server of one region (mongo-java-server with its in-memory backend),
 * behind its proxy.
 *
 * <p>It serves CRUD through the real driver, but ignores write concerns and refuses sessions,
 * transactions and replica-set or sharding admin commands. {@link #kill()} shuts the server down
 * and loses all its data; {@link #restart()} starts an empty one on the same port.
 */
public interface MongoServer extends ProxiedServer {

    /** Returns the proxy's connection string, {@code mongodb://127.0.0.1:<port>}. */
    String connectionString();
}
