package io.regionrouter.testkit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Marks a run directory as in use with a file lock, and cleans up run directories whose JVM died
 * without closing them: their PostgreSQL and Redis processes are stopped (only processes whose PID
 * file is in that directory and whose command is {@code postgres} or {@code redis-server}) and the
 * directory is deleted.
 */
public final class StaleRuns implements AutoCloseable {

    /** The lock file in each run directory. */
    public static final String LOCK_FILE = ".run.lock";

    private static final Logger LOG = LoggerFactory.getLogger(StaleRuns.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);

    private final FileChannel channel;
    private final FileLock lock;

    private StaleRuns(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks a run directory for the life of the run.
     *
     * @param runDir the run directory, which must exist
     * @return the held lock; close it when the run ends
     */
    public static StaleRuns lock(Path runDir) {
        try {
            FileChannel ch = FileChannel.open(runDir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock l = ch.tryLock();
            if (l == null) {
                ch.close();
                throw new IllegalStateException("run directory " + runDir + " is locked by another process");
            }
            return new StaleRuns(ch, l);
        } catch (IOException e) {
            throw new UncheckedIOException("could not lock run directory " + runDir, e);
        }
    }

    /**
     * Cleans every run directory under {@code dataRoot} whose lock nobody holds. Failures are logged
     * per directory and do not stop the new run.
     *
     * @param dataRoot the root of run directories
     */
    public static void cleanUnder(Path dataRoot) {
        if (!Files.isDirectory(dataRoot)) {
            return;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(dataRoot, Files::isDirectory)) {
            for (Path dir : dirs) {
                try {
                    cleanIfStale(dir);
                } catch (RuntimeException | IOException e) {
                    LOG.warn("could not clean stale testkit run directory {}", dir, e);
                }
            }
        } catch (IOException e) {
            LOG.warn("could not list testkit run directories under {}", dataRoot, e);
        }
    }

    private static void cleanIfStale(Path dir) throws IOException {
        Path lockFile = dir.resolve(LOCK_FILE);
        if (!Files.exists(lockFile)) {
            return; // being created right now, or not ours
        }
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                return; // a live run of this JVM
            }
            if (l == null) {
                return; // a live run of another JVM
            }
            try {
                LOG.info("cleaning up stale testkit run {}", dir);
                stopOrphans(dir);
            } finally {
                l.release();
            }
        }
        DataDirs.deleteTree(dir);
    }

    private static void stopOrphans(Path runDir) throws IOException {
        try (Stream<Path> children = Files.list(runDir)) {
            for (Path child : (Iterable<Path>) children::iterator) {
                if (ProcessStopper.stop(child.resolve("postmaster.pid"), "postgres", STOP_WAIT)) {
                    LOG.info("stopped the orphaned PostgreSQL of {}", child);
                }
                if (ProcessStopper.stop(child.resolve(RedisServerImpl.PID_FILE), "redis-server", STOP_WAIT)) {
                    LOG.info("stopped the orphaned Redis of {}", child);
                }
            }
        }
    }

    /** Releases the lock. */
    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not release the run lock", e);
        }
    }
}
