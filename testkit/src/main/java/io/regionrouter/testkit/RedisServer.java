package io.regionrouter.testkit;

/**
 * A real Redis server of one region, behind its proxy.
 *
 * <p>Started with {@code bind 127.0.0.1}, {@code appendonly no} and {@code save ""}: nothing is
 * persisted, so {@link #kill()} (SIGTERM to the process) loses every key and {@link #restart()}
 * starts empty on the same port.
 */
public interface RedisServer extends ProxiedServer {

    /** Returns the proxy's URI, {@code redis://127.0.0.1:<port>}. */
    String uri();

    /** Returns the path of the {@code redis-server} executable in use. */
    String executable();

    /**
     * Returns whether this is a Redis Cluster ({@link LocalRegions.Builder#redisCluster(int)}). Its
     * {@link #uri()} is then a seed node's proxy; each node announces its own proxy, and every fault
     * control acts on all nodes at once.
     */
    default boolean cluster() {
        return false;
    }

    /** Returns the direct port of every node (one for a standalone server), bypassing the proxies. */
    default java.util.List<Integer> directPorts() {
        return java.util.List.of(directPort());
    }
}
