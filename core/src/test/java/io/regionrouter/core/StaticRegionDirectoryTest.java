package io.regionrouter.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class StaticRegionDirectoryTest {

    private static final Region EU = Region.of("eu");
    private static final Region US = Region.of("us");

    @Test
    void builder_mapsUsers() {
        StaticRegionDirectory d = StaticRegionDirectory.builder().user("alice", EU).user("bob", "us").build();
        assertThat(d.lookup("alice")).contains(EU);
        assertThat(d.lookup("bob")).contains(US);
        assertThat(d.lookup("zed")).isEmpty();
        assertThat(d.size()).isEqualTo(2);
    }

    @Test
    void of_copiesTheMap() {
        Map<String, Region> m = new HashMap<>(Map.of("alice", EU));
        StaticRegionDirectory d = StaticRegionDirectory.of(m);
        m.put("alice", US);
        assertThat(d.lookup("alice")).contains(EU);
    }

    @Test
    void of_rejectsNullRegions() {
        Map<String, Region> m = new HashMap<>();
        m.put("alice", null);
        assertThatThrownBy(() -> StaticRegionDirectory.of(m)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("alice");
    }

    @Test
    void lookupAll_returnsOnlyKnownUsers() {
        StaticRegionDirectory d = StaticRegionDirectory.builder().user("alice", EU).user("bob", US).build();
        assertThat(d.lookupAll(List.of("alice", "zed", "bob")))
                .containsOnly(Map.entry("alice", EU), Map.entry("bob", US));
    }

    @Test
    void empty_knowsNobody() {
        assertThat(StaticRegionDirectory.empty().lookup("alice")).isEqualTo(Optional.empty());
    }
}
