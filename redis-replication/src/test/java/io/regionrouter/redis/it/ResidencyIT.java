package io.regionrouter.redis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionContext;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.RegionUnavailableException;
import io.regionrouter.redis.AckPolicy;
import io.regionrouter.redis.RegionScopedRedis;
import io.regionrouter.redis.RegionalRedis;
import io.regionrouter.redis.Versioned;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Residency fails closed: a key is GLOBAL only if a prefix declares it. Every other key written for a
 * user is REGULATED for that user's home region, and without a user it is refused. Counted on each
 * region's server directly, with instances in regions that may not hold the data.
 */
class ResidencyIT extends ThreeRegionsBase {

    /** Keys matching {@code pattern} on each region's own server, bypassing the library. */
    private static Map<String, Integer> keysPerRegion(String pattern) {
        return Map.of("us", fixture.direct("us").keys(pattern).size(),
                "eu", fixture.direct("eu").keys(pattern).size(),
                "ap", fixture.direct("ap").keys(pattern).size());
    }

    @Test
    void undeclaredKey_writtenForAUser_isHeldOnlyInTheUsersHomeRegion_byInstancesInOtherRegions() {
        // the fixture declares product: GLOBAL and profile: REGULATED; passport: is declared nowhere
        RegionalRedis<String> inUs = fixture.redis("us", fixture.config().build());
        RegionalRedis<String> inAp = fixture.redis("ap", fixture.config().build());

        inUs.forUser("alice").set("passport:alice", "P-1", null, AckPolicy.ALL);
        try (RegionContext.Scope ignored = RegionContext.forUser("alice").open()) {
            inAp.set("passport:alice:scan", "P-2", AckPolicy.ALL);
        }

        // alice is homed in eu, and eu's rules allow eu alone
        assertThat(keysPerRegion("passport:alice*")).isEqualTo(Map.of("us", 0, "eu", 2, "ap", 0));
        assertThat(inAp.forUser("alice").getVersioned("passport:alice")).get()
                .satisfies(v -> assertThat(v.value()).isEqualTo("P-1"))
                .extracting(Versioned::servedBy).isEqualTo(Region.of("eu"));
        assertThat(inUs.pendingHints("eu") + inAp.pendingHints("eu"))
                .as("no copy of alice's data in a hint log outside eu").isZero();

        // bob is homed in us, whose rules allow us and ap
        inAp.forUser("bob").set("passport:bob", "P-3", null, AckPolicy.ALL);
        assertThat(keysPerRegion("passport:bob")).isEqualTo(Map.of("us", 1, "eu", 0, "ap", 1));
    }

    @Test
    void undeclaredKey_withoutAUser_isRefusedForEveryAccess_andWrittenNowhere() {
        RegionalRedis<String> redis = fixture.redis("us", fixture.config().build());
        String message = "key \"passport:alice\" matches no declared namespace, so it is REGULATED, but no user is"
                + " known: declare reference data with RegionalRedisConfig.Builder.global(prefix), or write"
                + " personal data with forUser(userId) or in a RegionContext for the user";

        assertThatThrownBy(() -> redis.set("passport:alice", "P", AckPolicy.ALL))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
        assertThatThrownBy(() -> redis.get("passport:alice"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
        assertThatThrownBy(() -> redis.delete("passport:alice"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);

        // the library's own marker under rr: aside, nothing exists anywhere
        assertThat(keysPerRegion("[^r]*")).isEqualTo(Map.of("us", 0, "eu", 0, "ap", 0));
    }

    @Test
    void regulatedPrefixUnderAGlobalOne_staysWithItsOwner() {
        RegionalRedis<String> redis = fixture.redis("us", fixture.config().regulated("product:reviews:").build());
        redis.set("product:9", "lamp", AckPolicy.ALL);
        redis.forUser("alice").set("product:reviews:alice", "5 stars", null, AckPolicy.ALL);

        assertThat(keysPerRegion("product:9")).isEqualTo(Map.of("us", 1, "eu", 1, "ap", 1));
        assertThat(keysPerRegion("product:reviews:*")).isEqualTo(Map.of("us", 0, "eu", 1, "ap", 0));
    }
    @Test
    void aContextThatNamesARegion_isServedByExactlyThatRegion_andRefusedWhileItIsDown() {
        RegionRouter router = fixture.router("us");
        RegionalRedis<String> redis = fixture.redis(router, fixture.config().build(), System::currentTimeMillis);
        redis.set("product:7", "lamp", AckPolicy.ALL);
        try (RegionContext.Scope ignored = RegionContext.forRegion(Region.of("eu")).open()) {
            assertThat(redis.getVersioned("product:7")).get().extracting(Versioned::servedBy)
                    .as("eu named: eu answers, not the local us").isEqualTo(Region.of("eu"));
        }

        RegionScopedRedis<String> eu = redis.forRegion(Region.of("eu"));
        assertThat(eu.getVersioned("product:7")).get().extracting(Versioned::servedBy).isEqualTo(Region.of("eu"));
        eu.set("invoice:eu:1", "inv", null, AckPolicy.ALL);
        assertThat(keysPerRegion("invoice:eu:1")).as("homed in eu, whose rules allow eu alone")
                .isEqualTo(Map.of("us", 0, "eu", 1, "ap", 0));

        SERVERS.region("eu").redis().partition();
        try {
            ThreeRegions.awaitState(router, "eu", false);
            assertThatThrownBy(() -> eu.get("product:7")).isInstanceOf(RegionUnavailableException.class);
            assertThatThrownBy(() -> eu.set("product:9", "x")).isInstanceOf(RegionUnavailableException.class);
            try (RegionContext.Scope ignored = RegionContext.forRegion(Region.of("eu")).open()) {
                assertThatThrownBy(() -> redis.get("product:7")).as("no fallback to another region")
                        .isInstanceOf(RegionUnavailableException.class)
                        .hasMessageContaining("region eu is DOWN for redis");
                assertThatThrownBy(() -> redis.set("product:8", "desk", AckPolicy.LOCAL))
                        .isInstanceOf(RegionUnavailableException.class);
                assertThatThrownBy(() -> redis.delete("product:7")).isInstanceOf(RegionUnavailableException.class);
            }
            assertThat(redis.getVersioned("product:7")).as("without the context the read falls back as usual").get()
                    .extracting(Versioned::servedBy).isEqualTo(Region.of("us"));
            assertThat(fixture.direct("us").exists("product:8") + fixture.direct("ap").exists("product:8"))
                    .as("the refused write was sent nowhere").isZero();
            assertThat(redis.pendingHints("eu")).as("and not hinted for eu").isZero();
        } finally {
            SERVERS.region("eu").redis().heal();
        }
    }
}
