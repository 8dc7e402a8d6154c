package io.regionrouter.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.regionrouter.testkit.internal.FreePorts;
import io.regionrouter.testkit.internal.RedisExecutable;
import io.regionrouter.testkit.internal.RedisServerImpl;
import io.regionrouter.testkit.internal.StaleRuns;

/** A run whose JVM died is cleaned up by the next start under the same root. */
class StaleRunCleanupIT {

    @Test
    void start_stopsTheOrphansOfADeadRunAndDeletesItsDirectory(@TempDir Path root) throws Exception {
        Path stale = root.resolve("20000101-000000-abcdef");
        Path redisDir = Files.createDirectories(stale.resolve("us-redis"));
        Files.createFile(stale.resolve(StaleRuns.LOCK_FILE)); // nobody holds the lock: its JVM is gone
        Path pidFile = redisDir.resolve(RedisServerImpl.PID_FILE);
        Path exe = RedisExecutable.resolve(root.resolve("bin"));
        // persistence off and dir inside the stale run: stopping it must not write a dump.rdb into the
        // working directory (the module directory under Maven)
        Process orphan = new ProcessBuilder(exe.toString(), "--port", String.valueOf(FreePorts.pick()),
                "--bind", "127.0.0.1", "--appendonly", "no", "--save", "", "--dir", redisDir.toString(),
                "--pidfile", pidFile.toString())
                .directory(redisDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            waitFor(pidFile);
            try (LocalRegions regions = LocalRegions.builder().region("us", ServerKind.MONGO).dataRoot(root).build()) {
                regions.start();
                assertThat(orphan.waitFor(30, TimeUnit.SECONDS)).as("orphan stopped").isTrue();
                assertThat(stale).doesNotExist();
                assertThat(Path.of("dump.rdb")).as("nothing written to the working directory").doesNotExist();
                assertThat(regions.runDirectory()).exists();
            }
        } finally {
            orphan.destroyForcibly();
        }
    }

    private static void waitFor(Path file) throws InterruptedException, IOException {
        for (int i = 0; i < 300 && !Files.exists(file); i++) { // bounded: 30 s
            Thread.sleep(100);
        }
        assertThat(file).exists();
    }
}
