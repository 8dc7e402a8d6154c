package io.regionrouter.testkit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** Creates and deletes the data directories of one run. */
public final class DataDirs {

    private static final DateTimeFormatter RUN_ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final SecureRandom RANDOM = new SecureRandom();

    private DataDirs() {
    }

    /**
     * Returns a new run id: the UTC time and a random suffix, unique among concurrent runs.
     *
     * @return an id such as {@code 20260101-120000-3f9a1c}
     */
    public static String newRunId() {
        return ZonedDateTime.now(ZoneOffset.UTC).format(RUN_ID_TIME)
                + '-' + Integer.toHexString(0x100000 + RANDOM.nextInt(0xF00000));
    }

    /**
     * Creates a directory and its parents.
     *
     * @param dir the directory
     * @return {@code dir}
     */
    public static Path create(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create directory " + dir, e);
        }
    }

    /**
     * Deletes a directory tree; missing files are ignored. Retries a few times because a process
     * that is shutting down may still create files.
     *
     * @param dir the tree to delete
     * @throws UncheckedIOException if the tree still exists after the retries
     */
    public static void deleteTree(Path dir) {
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            if (!Files.exists(dir)) {
                return;
            }
            try {
                deleteOnce(dir);
                return;
            } catch (IOException e) {
                last = e;
                try {
                    Thread.sleep(100L * (attempt + 1));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        if (Files.exists(dir)) {
            throw new UncheckedIOException("could not delete " + dir, last == null ? new IOException("interrupted") : last);
        }
    }

    private static void deleteOnce(Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                if (exc instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw exc;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                if (exc != null && !(exc instanceof NoSuchFileException)) {
                    throw exc;
                }
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
