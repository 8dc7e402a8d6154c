package io.regionrouter.testkit.internal;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.mongodb.MongoDBContainer;

/**
 * The only class that touches Testcontainers, so that the testkit loads without it. Callers check
 * that Testcontainers is on the class path before they use this class. Thread-safe.
 */
public final class TestcontainersMongo implements AutoCloseable {

    private final MongoDBContainer container;

    private TestcontainersMongo(MongoDBContainer container) {
        this.container = container;
    }

    /**
     * Asks Testcontainers for a Docker engine.
     *
     * @return {@code null} if one answers, else the reason
     */
    public static String dockerUnavailableReason() {
        try {
            return DockerClientFactory.instance().isDockerAvailable()
                    ? null
                    : "no Docker engine found by Testcontainers";
        } catch (RuntimeException | LinkageError e) {
            return "Testcontainers could not look for Docker: " + e;
        }
    }

    /**
     * Starts a single-node replica set.
     *
     * @param image the image
     * @return the running container
     */
    public static TestcontainersMongo start(String image) {
        MongoDBContainer c = new MongoDBContainer(image);
        c.start();
        return new TestcontainersMongo(c);
    }

    /** Returns the replica-set URL. */
    public String connectionString() {
        return container.getReplicaSetUrl();
    }

    @Override
    public void close() {
        container.stop();
    }
}
