package io.regionrouter.testkit.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a server process found through its PID file, with a bounded wait: a polite signal first,
 * then a kill. Only a process whose command starts with the expected name is touched, so a PID that
 * the system reused for something else is left alone. Stateless.
 */
public final class ProcessStopper {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessStopper.class);

    private ProcessStopper() {
    }

    /**
     * Stops the process named in a PID file, if it is still running.
     *
     * @param pidFile the PID file; a missing or unreadable one means there is nothing to stop
     * @param expectedCommand the start of the process's command name, such as {@code redis-server}
     * @param wait how long to wait after the polite signal, and again after the kill
     * @return {@code true} if a matching process was found and signalled
     */
    public static boolean stop(Path pidFile, String expectedCommand, Duration wait) {
        return pidIn(pidFile).map(pid -> stop(pid, expectedCommand, wait)).orElse(false);
    }

    /**
     * Stops a process, if it is running and its command starts with {@code expectedCommand}. If the
     * calling thread is interrupted while waiting, the process is killed and the interrupt flag is
     * restored.
     *
     * @param pid the process id
     * @param expectedCommand the start of the process's command name
     * @param wait how long to wait after the polite signal, and again after the kill
     * @return {@code true} if a matching process was found and signalled
     */
    public static boolean stop(long pid, String expectedCommand, Duration wait) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(p -> p.info().command()
                .map(c -> c.substring(c.lastIndexOf('/') + 1).startsWith(expectedCommand))
                .orElse(false));
        if (handle.isEmpty()) {
            return false;
        }
        ProcessHandle p = handle.get();
        p.destroy();
        if (!awaitExit(p, wait)) {
            LOG.warn("{} process {} did not stop within {}; killing it", expectedCommand, pid, wait);
            p.destroyForcibly();
            if (!awaitExit(p, wait)) {
                LOG.warn("{} process {} is still there {} after it was killed", expectedCommand, pid, wait);
            }
        }
        return true;
    }

    private static boolean awaitExit(ProcessHandle p, Duration wait) {
        try {
            p.onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return !p.isAlive();
        } catch (ExecutionException | TimeoutException e) {
            return !p.isAlive();
        }
    }

    /**
     * Reads the process id on the first line of a PID file.
     *
     * @param pidFile the file
     * @return the id, or empty if the file is missing or unreadable (the latter is logged)
     */
    public static Optional<Long> pidIn(Path pidFile) {
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
            return lines.isEmpty() || lines.get(0).isBlank() ? Optional.empty()
                    : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            LOG.warn("unreadable PID file {}", pidFile, e);
            return Optional.empty();
        }
    }
}
