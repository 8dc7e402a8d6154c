package io.regionrouter.testkit;

import org.junit.jupiter.api.Assumptions;

import io.regionrouter.testkit.internal.TestcontainersMongo;

/**
 * A real MongoDB single-node replica set in Docker, for the tests that mongo-java-server cannot
 * serve (sessions, transactions, replica-set and sharding commands).
 *
 * <p>Optional: it needs {@code org.testcontainers:testcontainers-mongodb} on the test class path
 * (the testkit declares it as an optional dependency) and a Docker engine. Where either is missing,
 * {@link #startOrSkip()} aborts the calling test through a JUnit assumption, with the reason, so
 * the test is reported as skipped, never as passed.
 *
 * <pre>{@code
 * try (DockerMongo mongo = DockerMongo.startOrSkip()) {
 *     MongoClient client = MongoClients.create(mongo.connectionString());
 *     ...
 * }
 * }</pre>
 *
 * <p>Instances are thread-safe; {@link #close()} stops and removes the container.
 */
public final class DockerMongo implements AutoCloseable {

    /** The image {@link #startOrSkip()} uses. */
    public static final String DEFAULT_IMAGE = "mongo:7.0";

    private static volatile String unavailableReason;
    private static volatile boolean probed;

    private final TestcontainersMongo container;

    private DockerMongo(TestcontainersMongo container) {
        this.container = container;
    }

    /**
     * Returns {@code null} if a real MongoDB can be started here, else why not. The answer is
     * computed once per JVM.
     *
     * @return the reason, or {@code null}
     */
    public static String unavailableReason() {
        if (!probed) {
            synchronized (DockerMongo.class) {
                if (!probed) {
                    unavailableReason = probe();
                    probed = true;
                }
            }
        }
        return unavailableReason;
    }

    /** Returns {@code true} if Testcontainers is on the class path and a Docker engine answers. */
    public static boolean isAvailable() {
        return unavailableReason() == null;
    }

    private static String probe() {
        try {
            Class.forName("org.testcontainers.mongodb.MongoDBContainer", false, DockerMongo.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return "org.testcontainers:testcontainers-mongodb is not on the class path";
        }
        return TestcontainersMongo.dockerUnavailableReason();
    }

    /**
     * Starts MongoDB {@link #DEFAULT_IMAGE}, or skips the calling test.
     *
     * @return the running MongoDB
     * @throws org.opentest4j.TestAbortedException if Docker or Testcontainers is missing
     */
    public static DockerMongo startOrSkip() {
        return startOrSkip(DEFAULT_IMAGE);
    }

    /**
     * Starts MongoDB from {@code image}, or skips the calling test.
     *
     * @param image a Docker image such as {@code mongo:7.0}
     * @return the running MongoDB
     * @throws org.opentest4j.TestAbortedException if Docker or Testcontainers is missing
     */
    public static DockerMongo startOrSkip(String image) {
        String reason = unavailableReason();
        Assumptions.assumeTrue(reason == null, () -> "skipped: a real MongoDB needs Docker: " + reason);
        return new DockerMongo(TestcontainersMongo.start(image));
    }

    /** Returns the replica-set connection string of the container, without credentials. */
    public String connectionString() {
        return container.connectionString();
    }

    /** Stops and removes the container. Idempotent. */
    @Override
    public void close() {
        container.close();
    }

    @Override
    public String toString() {
        return "DockerMongo[" + connectionString() + "]";
    }
}
