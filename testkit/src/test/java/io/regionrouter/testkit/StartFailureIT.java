package io.regionrouter.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server that cannot start fails start() and leaves nothing behind. */
class StartFailureIT {

    @Test
    void start_whenPostgresCannotStart_closesEverythingAndDeletesTheRun(@TempDir Path root) throws IOException {
        LocalRegions regions = LocalRegions.builder()
                .region("us", ServerKind.POSTGRES, ServerKind.REDIS, ServerKind.MONGO)
                .postgresSetting("shared_buffers", "not-a-size")
                // the broken PostgreSQL is only detected when this runs out; the others start well within
                // it (and within the 2x bound on the whole start) even on a loaded machine
                .startTimeout(Duration.ofSeconds(15))
                .dataRoot(root)
                .build();
        assertThatThrownBy(regions::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("could not start 1 of 3 servers");
        assertThat(regions.isStarted()).isFalse();
        try (Stream<Path> runs = Files.list(root)) {
            assertThat(runs).isEmpty();
        }
        regions.close(); // still idempotent
    }
}
