package io.regionrouter.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessStopperTest {

    @Test
    void pidIn_readsTheFirstLine_andTreatsMissingOrGarbageAsNothing(@TempDir Path dir) throws IOException {
        assertThat(ProcessStopper.pidIn(dir.resolve("missing.pid"))).isEmpty();
        assertThat(ProcessStopper.pidIn(Files.writeString(dir.resolve("ok.pid"), "4242\n/data\n"))).contains(4242L);
        assertThat(ProcessStopper.pidIn(Files.writeString(dir.resolve("bad.pid"), "not a pid\n"))).isEmpty();
        assertThat(ProcessStopper.pidIn(Files.writeString(dir.resolve("empty.pid"), ""))).isEmpty();
    }

    @Test
    void stop_leavesAProcessWithAnotherCommandAlone() {
        // a PID file can outlive its server and its PID be reused: here, by this very JVM
        long self = ProcessHandle.current().pid();
        assertThat(ProcessStopper.stop(self, "redis-server", Duration.ofMillis(100))).isFalse();
        assertThat(ProcessHandle.current().isAlive()).isTrue();
    }

    @Test
    void stop_withoutAPidFile_doesNothing(@TempDir Path dir) {
        assertThat(ProcessStopper.stop(dir.resolve("redis.pid"), "redis-server", Duration.ofMillis(100))).isFalse();
    }
}
