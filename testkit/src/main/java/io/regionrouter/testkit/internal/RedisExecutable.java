package io.regionrouter.testkit.internal;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import redis.embedded.core.ExecutableProvider;

/** Finds the {@code redis-server} to run: one on the {@code PATH} first, else the bundled one. */
public final class RedisExecutable {

    private RedisExecutable() {
    }

    /**
     * Returns the executable to use.
     *
     * @param extractDir where to extract the bundled binary if none is on the {@code PATH}
     * @return an executable file
     */
    public static Path resolve(Path extractDir) {
        Optional<Path> onPath = findOnPath(System.getenv("PATH"));
        if (onPath.isPresent()) {
            return onPath.get();
        }
        try {
            DataDirs.create(extractDir);
            File bundled = ExecutableProvider.newJarResourceProvider(extractDir.toFile()).get();
            return bundled.toPath();
        } catch (IOException e) {
            throw new UncheckedIOException("no redis-server on PATH and the bundled one could not be extracted to "
                    + extractDir, e);
        }
    }

    /**
     * Looks for an executable {@code redis-server} in the directories of a {@code PATH} value.
     *
     * @param path the value, may be {@code null}
     * @return the first match
     */
    static Optional<Path> findOnPath(String path) {
        if (path == null || path.isBlank()) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
