package io.regionrouter.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.CachingRegionDirectory;
import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Topology;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DirectoryInvalidationsTest {

    private final Topology topology = Topology.builder().regions("us", "eu").local("eu").primary("us").build();
    private final StubDataSource eu = new StubDataSource("eu");
    private final JdbcRegionDirectory table = JdbcRegionDirectory.builder(topology).lookups(eu).assignments(eu).build();
    private final CachingRegionDirectory cache = CachingRegionDirectory.builder(table).build();

    @Test
    void build_requiresWhereToListen() {
        assertThatThrownBy(() -> DirectoryInvalidations.builder(table, cache).build())
                .isInstanceOf(InvalidConfigurationException.class).hasMessage("listenTo must be set, but was null");
    }

    @Test
    void settings_areBounded_andChecksAgainstEachOther() {
        DirectoryInvalidations.Builder b = DirectoryInvalidations.builder(table, cache).listenTo(eu);
        assertThatThrownBy(() -> b.pollTimeout(Duration.ofMillis(1))).isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("pollTimeout must be in [10 ms, 10000 ms], but was 1 ms");
        assertThatThrownBy(() -> b.reconnectDelay(Duration.ofHours(1))).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith("reconnectDelay must be in [10 ms, 60000 ms]");
        assertThatThrownBy(() -> b.keepAliveInterval(null)).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith("keepAliveInterval");
        assertThatThrownBy(() -> b.pollTimeout(Duration.ofSeconds(2)).networkTimeout(Duration.ofSeconds(1)).build())
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("pollTimeout must be shorter than networkTimeout (PT1S), but was PT2S");
    }

    @Test
    void startTwice_isRefused_andCloseIsIdempotent() {
        DirectoryInvalidations feed = DirectoryInvalidations.builder(table, cache).listenTo(eu)
                .reconnectDelay(Duration.ofSeconds(10)).build();
        feed.start();
        assertThatThrownBy(feed::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("already started");
        feed.close();
        feed.close();
        assertThat(feed.isListening()).isFalse();
    }
}
