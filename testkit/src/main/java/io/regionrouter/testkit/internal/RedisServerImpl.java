package io.regionrouter.testkit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import io.regionrouter.testkit.RedisServer;
import io.regionrouter.testkit.ServerKind;

/** A Redis process managed by the testkit through embedded-redis. Thread-safe. */
public final class RedisServerImpl extends AbstractProxiedServer implements RedisServer {

    /** The PID file in the server's directory, used to find it again after a JVM crash. */
    public static final String PID_FILE = "redis.pid";

    private final Path executable;
    private final Path dataDir;
    private final int directPort;
    private redis.embedded.RedisServer process;

    /**
     * Creates the server; {@link #start(RunContext)} starts it.
     *
     * @param context the run
     * @param region the region
     * @param executable the {@code redis-server} to run
     */
    public RedisServerImpl(RunContext context, String region, Path executable) {
        super(region, ServerKind.REDIS, region + "-" + ServerKind.REDIS.id());
        this.executable = executable;
        this.dataDir = context.runDir().resolve(name());
        this.directPort = FreePorts.pick();
    }

    @Override
    protected synchronized void startProcess(boolean first) {
        try {
            if (process == null) {
                DataDirs.create(dataDir);
                process = redis.embedded.RedisServer.newRedisServer()
                        .executableProvider(executable::toFile)
                        .bind(HOST)
                        .port(directPort)
                        .setting("appendonly no")
                        .setting("save \"\"")
                        .setting("dir \"" + dataDir.toAbsolutePath() + "\"")
                        .setting("pidfile \"" + dataDir.toAbsolutePath().resolve(PID_FILE) + "\"")
                        .onShutdownForceStop(false)
                        // keep reading the output, so that a full pipe never blocks the server
                        .soutListener(line -> { })
                        .serrListener(line -> { })
                        .build();
            }
            process.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Redis " + name() + " on port " + directPort + " did not start with "
                    + executable, e);
        }
    }

    @Override
    protected synchronized void stopProcess() {
        try {
            process.stop();
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop Redis " + name(), e);
        }
    }

    @Override
    public int directPort() {
        return directPort;
    }

    @Override
    public String uri() {
        return "redis://" + HOST + ":" + port();
    }

    @Override
    public String executable() {
        return executable.toString();
    }
}
