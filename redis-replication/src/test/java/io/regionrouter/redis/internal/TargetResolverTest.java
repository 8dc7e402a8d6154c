package io.regionrouter.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.DataClass;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionContext;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.StaticRegionDirectory;
import io.regionrouter.core.Topology;
import io.regionrouter.core.UnknownUserException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TargetResolverTest {

    private static final Region US = Region.of("us");
    private static final Region EU = Region.of("eu");
    private static final Region AP = Region.of("ap");

    private final RegionRouter router = RegionRouter.builder(Topology.builder()
                    .regions("us", "eu", "ap").local("us").primary("us")
                    .proximity("us", "ap", "eu")
                    .residency("us", "ap")
                    .build())
            .directory(StaticRegionDirectory.builder().user("alice", EU).user("bob", US).build())
            .build();

    private TargetResolver resolver() {
        Map<String, DataClass> ns = new LinkedHashMap<>();
        ns.put("profile:", DataClass.REGULATED);
        ns.put("profile:public:", DataClass.GLOBAL);
        return new TargetResolver(router, ns);
    }

    @Test
    void globalKeys_goEverywhereLocalFirstThenByProximity() {
        assertThat(resolver().targets("profile:public:1", null)).containsExactly(US, AP, EU);
    }

    @Test
    void undeclaredKey_isRegulatedForTheUsersHomeRegion() {
        assertThat(resolver().dataClass("passport:alice")).isEqualTo(DataClass.REGULATED);
        assertThat(resolver().targets("passport:alice", "alice")).containsExactly(EU);
        assertThat(resolver().targets("passport:bob", "bob")).containsExactly(US, AP);
        try (RegionContext.Scope ignored = RegionContext.forUser("alice").open()) {
            assertThat(resolver().targets("passport:alice", null)).containsExactly(EU);
        }
        try (RegionContext.Scope ignored = RegionContext.forRegion(AP).open()) {
            assertThat(resolver().targets("session:1", null)).as("the context's region is the home").containsExactly(AP);
        }
    }

    @Test
    void undeclaredKey_withoutUser_isRefusedNamingTheWayToDeclareIt() {
        assertThatThrownBy(() -> resolver().targets("product:1", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key \"product:1\" matches no declared namespace, so it is REGULATED, but no user is"
                        + " known: declare reference data with RegionalRedisConfig.Builder.global(prefix), or write"
                        + " personal data with forUser(userId) or in a RegionContext for the user");
    }

    @Test
    void refusal_cutsAndEscapesALongKey() {
        String key = "x\r\n" + "k".repeat(1000);
        assertThatThrownBy(() -> resolver().targets(key, null))
                .hasMessageStartingWith("key \"x\\u000d\\u000a" + "k".repeat(61) + "\"... (1003 characters) matches")
                .hasMessageNotContaining("\r");
    }

    @Test
    void longestNamespaceWins() {
        assertThat(resolver().dataClass("profile:public:x")).isEqualTo(DataClass.GLOBAL);
        assertThat(resolver().dataClass("profile:x")).isEqualTo(DataClass.REGULATED);
    }

    @Test
    void regulatedKeys_goOnlyToAllowedRegions() {
        assertThat(resolver().targets("profile:alice", "alice")).containsExactly(EU);
        assertThat(resolver().targets("profile:bob", "bob")).containsExactly(US, AP);
    }

    @Test
    void regulatedKeys_useTheCurrentRegionContextUser() {
        try (RegionContext.Scope ignored = RegionContext.forUser("alice").open()) {
            assertThat(resolver().targets("profile:alice", null)).containsExactly(EU);
        }
    }

    @Test
    void regulatedKeys_withoutUserAreRefused() {
        assertThatThrownBy(() -> resolver().targets("profile:x", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"profile:x\" is REGULATED but no user is known");
    }

    @Test
    void regulatedKeys_ofUnknownUserAreRefused() {
        assertThatThrownBy(() -> resolver().targets("profile:x", "mallory"))
                .isInstanceOf(UnknownUserException.class);
    }
}
