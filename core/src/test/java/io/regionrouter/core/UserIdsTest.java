package io.regionrouter.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UserIdsTest {

    @Test
    void ordinaryIds_pass() {
        assertThat(UserIds.check("userId", "alice")).isEqualTo("alice");
        assertThat(UserIds.check("userId", "user 42@example.com")).isEqualTo("user 42@example.com");
        assertThat(UserIds.check("userId", "x".repeat(UserIds.MAX_LENGTH))).hasSize(256);
    }

    @Test
    void aMegabyteId_isRefused_andTheMessageShowsOnlyItsStartAndLength() {
        String huge = "a".repeat(1 << 20);
        assertThatThrownBy(() -> RegionContext.forUser(huge)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("userId must be 1 to 256 characters, not blank, without control characters, but was \""
                        + "a".repeat(64) + "...(1048576 chars)\"");
    }

    @Test
    void controlCharacters_areRefused_andEscapedInTheMessage() {
        assertThatThrownBy(() -> RegionContext.forUser("alice\r\nINFO forged log line"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"alice\\r\\nINFO forged log line\"")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(() -> UserIds.check("userId", "nul\u0000")).hasMessageContaining("\\u0000");
        assertThatThrownBy(() -> UserIds.check("userId", "   ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UserIds.check("userId", "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRouterAndTheCachingDirectory_checkAtTheCall() {
        Topology t = Topology.builder().regions("eu").local("eu").primary("eu").build();
        RegionRouter router = RegionRouter.builder(t).build();
        CachingRegionDirectory cache = CachingRegionDirectory.builder(StaticRegionDirectory.empty()).build();
        assertThatThrownBy(() -> router.homeRegion("a\nb")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cache.lookup("a".repeat(300))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cache.invalidate("a\rb")).isInstanceOf(IllegalArgumentException.class);
    }
}
