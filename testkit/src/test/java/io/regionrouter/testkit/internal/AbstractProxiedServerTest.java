package io.regionrouter.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.regionrouter.testkit.ServerKind;

class AbstractProxiedServerTest {

    private static final RunContext CONTEXT = new RunContext(null, Path.of("unused"), Map.of(), Duration.ofSeconds(1),
            (region, standby) -> { });

    /** A server whose process "starts" and whose setup then fails, as a PostgreSQL bootstrap can. */
    private static final class HalfStartingServer extends AbstractProxiedServer {

        final AtomicInteger started = new AtomicInteger();
        final AtomicInteger stopped = new AtomicInteger();

        HalfStartingServer() {
            super("us", ServerKind.REDIS, "us-redis");
        }

        @Override
        protected void startProcess(boolean first) {
            started.incrementAndGet();
            throw new IllegalStateException("setup failed after the process started");
        }

        @Override
        protected void stopProcess() {
            stopped.incrementAndGet();
        }

        @Override
        public int directPort() {
            return 1;
        }
    }

    @Test
    void start_thatFailsPartWay_stopsWhatDidStart() {
        HalfStartingServer server = new HalfStartingServer();
        assertThatThrownBy(() -> server.start(CONTEXT)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("setup failed");
        assertThat(server.started.get()).isEqualTo(1);
        assertThat(server.stopped.get()).as("the half-started process is stopped").isEqualTo(1);
        assertThat(server.isRunning()).isFalse();
        server.close();
        assertThat(server.stopped.get()).as("close does not stop it a second time").isEqualTo(1);
    }
}
