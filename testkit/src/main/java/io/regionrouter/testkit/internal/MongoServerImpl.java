package io.regionrouter.testkit.internal;

import java.net.InetSocketAddress;

import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.regionrouter.testkit.MongoServer;
import io.regionrouter.testkit.ServerKind;

/** A mongo-java-server with the in-memory backend, managed by the testkit. Thread-safe. */
public final class MongoServerImpl extends AbstractProxiedServer implements MongoServer {

    private final int directPort;
    private de.bwaldvogel.mongo.MongoServer server;

    /**
     * Creates the server; {@link #start(RunContext)} starts it.
     *
     * @param region the region
     */
    public MongoServerImpl(String region) {
        super(region, ServerKind.MONGO, region + "-" + ServerKind.MONGO.id());
        this.directPort = FreePorts.pick();
    }

    @Override
    protected synchronized void startProcess(boolean first) {
        de.bwaldvogel.mongo.MongoServer s = new de.bwaldvogel.mongo.MongoServer(new MemoryBackend());
        // assigned before bind, so that stopProcess() also releases the threads of a failed bind
        server = s;
        s.bind(new InetSocketAddress(HOST, directPort), 1, 2);
    }

    @Override
    protected synchronized void stopProcess() {
        de.bwaldvogel.mongo.MongoServer s = server;
        server = null;
        if (s != null) {
            s.shutdownNow();
        }
    }

    @Override
    public int directPort() {
        return directPort;
    }

    @Override
    public String connectionString() {
        return "mongodb://" + HOST + ":" + port();
    }
}
