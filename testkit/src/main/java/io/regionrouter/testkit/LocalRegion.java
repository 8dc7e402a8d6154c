package io.regionrouter.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One region of a {@link LocalRegions}: its servers and fault controls that act on all of them.
 *
 * <p>The region-wide controls apply to every server of the region, including PostgreSQL standbys
 * placed in it (see {@link PostgresServer#createStandby(String)}). Thread-safe.
 */
public final class LocalRegion {

    private final String name;
    private final Map<ServerKind, ProxiedServer> servers;
    private final List<PostgresServer> standbys = new CopyOnWriteArrayList<>();

    LocalRegion(String name, Map<ServerKind, ProxiedServer> servers) {
        this.name = name;
        this.servers = Collections.unmodifiableMap(new EnumMap<>(servers));
    }

    /** Returns the region's name. */
    public String name() {
        return name;
    }

    /** Returns the kinds of server this region was declared with. */
    public Set<ServerKind> kinds() {
        return servers.keySet();
    }

    /** Returns {@code true} if the region has a server of this kind. */
    public boolean has(ServerKind kind) {
        return servers.containsKey(kind);
    }

    /**
     * Returns the region's PostgreSQL primary.
     *
     * @throws IllegalStateException if the region has no PostgreSQL
     */
    public PostgresServer postgres() {
        return (PostgresServer) server(ServerKind.POSTGRES);
    }

    /**
     * Returns the region's Redis.
     *
     * @throws IllegalStateException if the region has no Redis
     */
    public RedisServer redis() {
        return (RedisServer) server(ServerKind.REDIS);
    }

    /**
     * Returns the region's MongoDB-wire server.
     *
     * @throws IllegalStateException if the region has no Mongo server
     */
    public MongoServer mongo() {
        return (MongoServer) server(ServerKind.MONGO);
    }

    /** Returns the PostgreSQL standbys placed in this region, in creation order. */
    public List<PostgresServer> postgresStandbys() {
        return List.copyOf(standbys);
    }

    /** Returns every server of the region: the declared ones, then the standbys. */
    public List<ProxiedServer> servers() {
        List<ProxiedServer> all = new ArrayList<>(servers.values());
        all.addAll(standbys);
        return all;
    }

    private ProxiedServer server(ServerKind kind) {
        ProxiedServer s = servers.get(kind);
        if (s == null) {
            throw new IllegalStateException("region '" + name + "' has no " + kind + " server; declared kinds are "
                    + servers.keySet());
        }
        return s;
    }

    void addStandby(PostgresServer standby) {
        standbys.add(standby);
    }

    /**
     * Sets the one-way delay of every server's proxy.
     *
     * @param oneWay the delay, {@link Duration#ZERO} to remove it
     * @see ProxiedServer#delay(Duration)
     */
    public void delay(Duration oneWay) {
        servers().forEach(s -> s.delay(oneWay));
    }

    /** Partitions every server's proxy. @see ProxiedServer#partition() */
    public void partition() {
        servers().forEach(ProxiedServer::partition);
    }

    /** Heals every server's proxy. @see ProxiedServer#heal() */
    public void heal() {
        servers().forEach(ProxiedServer::heal);
    }

    /** Makes every server's proxy refuse connections. @see ProxiedServer#refuse() */
    public void refuse() {
        servers().forEach(ProxiedServer::refuse);
    }

    /** Stops every server process of the region. @see ProxiedServer#kill() */
    public void kill() {
        servers().forEach(ProxiedServer::kill);
    }

    /** Restarts every server process of the region. @see ProxiedServer#restart() */
    public void restart() {
        servers().forEach(ProxiedServer::restart);
    }

    @Override
    public String toString() {
        return "LocalRegion[" + name + ", " + servers() + "]";
    }
}
