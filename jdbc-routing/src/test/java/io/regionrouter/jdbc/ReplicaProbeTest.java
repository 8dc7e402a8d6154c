package io.regionrouter.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionEvent;
import io.regionrouter.jdbc.internal.Lsn;
import io.regionrouter.jdbc.internal.ReplicaProbe.Measurement;
import io.regionrouter.jdbc.internal.ReplicaProbe;
import io.regionrouter.jdbc.replication.StandbyStatus;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReplicaProbeTest {

    static final Region EU = Region.of("eu");
    static final ReplicaReadConfig CONFIG = ReplicaReadConfig.builder().maxLag(Duration.ofSeconds(2)).build();

    final AtomicLong now = new AtomicLong(1_000_000_000L);
    final List<RegionEvent> events = new ArrayList<>();
    final ReplicaProbe probe = new ReplicaProbe(EU, "r1", () -> {
        throw new SQLException("refused", "08001");
    }, CONFIG, now::get, events::add);

    static StandbyStatus status(boolean inRecovery, boolean receiving, Optional<Duration> lag, boolean paused) {
        return new StandbyStatus(EU, "r1", inRecovery, paused, receiving, lag, "0/3000148");
    }

    String reason(StandbyStatus s, long ageNanos) {
        return probe.reason(new Measurement(s, null, now.get() - ageNanos), now.get());
    }

    @Test
    void freshMeasurementWithinBound_isUsable() {
        assertThat(reason(status(true, true, Optional.of(Duration.ofSeconds(2)), false), 0)).isNull();
        assertThat(reason(status(true, true, Optional.of(Duration.ZERO), true), 0)).as("paused but nothing to replay").isNull();
    }

    @Test
    void lagAboveBound_unknownLag_notStreaming_promoted_orStale_areNotUsable() {
        assertThat(reason(status(true, true, Optional.of(Duration.ofMillis(2001)), true), 0))
                .isEqualTo("lag PT2.001S above the bound PT2S (replay paused)");
        assertThat(reason(status(true, true, Optional.empty(), false), 0)).isEqualTo("lag unknown");
        assertThat(reason(status(true, false, Optional.of(Duration.ZERO), false), 0))
                .isEqualTo("not streaming from its primary, so its lag is unknown");
        assertThat(reason(status(false, false, Optional.empty(), false), 0)).isEqualTo("no longer a standby (promoted?)");
        assertThat(reason(status(true, true, Optional.of(Duration.ZERO), false), Duration.ofMillis(2001).toNanos()))
                .isEqualTo("last measurement older than PT2S");
        assertThat(probe.reason(null, now.get())).isEqualTo("not measured yet");
    }

    @Test
    void unreachableReplica_isNotUsable_andTheChangeIsPublishedOnce() {
        probe.probe();
        probe.probe();

        assertThat(probe.usable(now.get())).isFalse();
        assertThat(events).containsExactly(new ReplicaStateChangedEvent(EU, "r1", false, Optional.empty(),
                "could not be measured: refused"));
        assertThat(probe.replayLsn()).isEqualTo(Lsn.NONE);
    }

    @Test
    void lsn_parsesFormatsAndComparesUnsigned() {
        assertThat(Lsn.parse("16/B374D848")).isEqualTo(0x16B374D848L);
        assertThat(Lsn.format(0x16B374D848L)).isEqualTo("16/B374D848");
        assertThat(Lsn.parse(null)).isEqualTo(Lsn.NONE);
        assertThat(Lsn.atOrAfter(Lsn.parse("FFFFFFFF/0"), Lsn.parse("1/0"))).isTrue();
        assertThat(Lsn.atOrAfter(Lsn.parse("0/10"), Lsn.parse("0/11"))).isFalse();
        assertThatThrownBy(() -> Lsn.parse("nonsense")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lsn must look like 16/B374D848, but was \"nonsense\"");
    }

    @Test
    void config_validatesNamingTheField() {
        assertThatThrownBy(() -> ReplicaReadConfig.builder().maxLag(Duration.ofMillis(-1)))
                .isInstanceOf(InvalidConfigurationException.class).hasMessage("replicaReads.maxLag must be in [0 ms, 3600000 ms], but was -1 ms");
        assertThatThrownBy(() -> ReplicaReadConfig.builder().probeInterval(Duration.ofSeconds(3)).build())
                .hasMessage("replicaReads.staleAfter must be > replicaReads.probeInterval (3000 ms), but was 2000 ms");
        assertThat(ReplicaReadConfig.defaults().maxLag()).isEqualTo(ReplicaReadConfig.DEFAULT_MAX_LAG);
        assertThat(ReplicaReadConfig.defaults().toBuilder().readYourWrites(true).build().readYourWrites()).isTrue();
    }

    @Test
    void close_doesNotWaitForAProbeStuckOnAReplicaThatStoppedAnswering() throws Exception {
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch socketClosed = new CountDownLatch(1);
        Statement stuck = (Statement) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Statement.class},
                (proxy, m, args) -> {
                    if ("executeQuery".equals(m.getName())) {
                        reading.countDown();
                        socketClosed.await(); // a read on a partitioned network ends only when the socket is closed
                        throw new SQLException("An I/O error occurred while sending to the backend.", "08006");
                    }
                    return null;
                });
        Connection connection = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, m, args) -> switch (m.getName()) {
                    case "createStatement" -> stuck;
                    case "isClosed" -> socketClosed.getCount() == 0;
                    case "close" -> {
                        socketClosed.countDown();
                        yield null;
                    }
                    default -> null;
                });
        ReplicaProbe partitioned = new ReplicaProbe(EU, "r1", () -> connection, CONFIG, now::get, events::add);
        Thread prober = new Thread(partitioned::probe, "test-replica-probe");
        prober.setDaemon(true);
        prober.start();
        assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(10), partitioned::close, "close() waited for the stuck probe");
            assertThat(socketClosed.getCount()).as("close() closed the probe's connection").isZero();
            prober.join(10_000);
            assertThat(prober.isAlive()).as("the probe ended once its connection was closed").isFalse();
            assertThat(partitioned.usable(now.get())).isFalse();
        } finally {
            socketClosed.countDown();
        }
    }
}
