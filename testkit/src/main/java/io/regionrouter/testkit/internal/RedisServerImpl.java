package io.regionrouter.testkit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.regionrouter.testkit.RedisServer;
import io.regionrouter.testkit.ServerKind;

/** A Redis process managed by the testkit through embedded-redis. Thread-safe. */
public final class RedisServerImpl extends AbstractProxiedServer implements RedisServer {

    /** The PID file in the server's directory, used to find it again after a JVM crash. */
    public static final String PID_FILE = "redis.pid";

    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

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
                // settings on the command line rather than through the builder, which writes a config
                // file to the system temp directory that stays there if the JVM is killed; "dir" keeps
                // anything Redis might write (and its working files) inside the run directory
                List<String> args = List.of(executable.toString(),
                        "--port", String.valueOf(directPort),
                        "--bind", HOST,
                        "--appendonly", "no",
                        "--save", "",
                        "--dir", dataDir.toAbsolutePath().toString(),
                        "--pidfile", pidFile().toString());
                // keep reading the output, so that a full pipe never blocks the server
                process = new redis.embedded.RedisServer(directPort, args, false, line -> { }, line -> { });
            }
            process.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Redis " + name() + " on port " + directPort + " did not start with "
                    + executable, e);
        }
    }

    @Override
    protected synchronized void stopProcess() {
        if (process == null) {
            return;
        }
        // embedded-redis waits for the process without a bound; stop it here first, with one
        ProcessStopper.stop(pidFile(), "redis-server", STOP_WAIT);
        try {
            process.stop();
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop Redis " + name(), e);
        }
    }

    private Path pidFile() {
        return dataDir.toAbsolutePath().resolve(PID_FILE);
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
