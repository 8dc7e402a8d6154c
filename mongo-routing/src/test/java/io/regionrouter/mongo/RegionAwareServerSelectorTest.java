package io.regionrouter.mongo;

import com.mongodb.ServerAddress;
import com.mongodb.Tag;
import com.mongodb.TagSet;
import com.mongodb.connection.ClusterConnectionMode;
import com.mongodb.connection.ClusterDescription;
import com.mongodb.connection.ClusterId;
import com.mongodb.connection.ClusterType;
import com.mongodb.connection.ServerConnectionState;
import com.mongodb.connection.ServerDescription;
import com.mongodb.connection.ServerType;
import com.mongodb.event.ClusterDescriptionChangedEvent;
import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionUnavailableException;
import io.regionrouter.core.Topology;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegionAwareServerSelectorTest {

    private static final Region US = Region.of("us");
    private static final Region EU = Region.of("eu");
    private static final Region AP = Region.of("ap");

    // local eu; eu's proximity: us then ap; eu data may also live in us, ap data only in ap
    private static final Topology TOPOLOGY = Topology.builder()
            .regions("eu", "us", "ap")
            .local("eu")
            .primary("us")
            .proximity("eu", "us", "ap")
            .proximity("us", "eu", "ap")
            .proximity("ap", "us", "eu")
            .residency("eu", "us")
            .build();

    static ServerDescription member(String host, String region, long rttMillis) {
        ServerDescription.Builder b = ServerDescription.builder()
                .address(new ServerAddress(host, 27017))
                .state(ServerConnectionState.CONNECTED)
                .ok(true)
                .type(ServerType.REPLICA_SET_SECONDARY)
                .setName("rs0")
                .roundTripTime(rttMillis, TimeUnit.MILLISECONDS);
        if (region != null) {
            b.tagSet(new TagSet(List.of(new Tag("region", region), new Tag("rack", "r1"))));
        }
        return b.build();
    }

    static ServerDescription connecting(String host) {
        return ServerDescription.builder().address(new ServerAddress(host, 27017))
                .state(ServerConnectionState.CONNECTING).build();
    }

    static ClusterDescription cluster(ServerDescription... members) {
        return new ClusterDescription(ClusterConnectionMode.MULTIPLE, ClusterType.REPLICA_SET, List.of(members));
    }

    static List<String> hosts(List<ServerDescription> selected) {
        return selected.stream().map(s -> s.getAddress().getHost()).toList();
    }

    @Test
    void select_prefersMembersTaggedWithLocalRegion_evenWhenOthersAreFaster() {
        var selector = RegionAwareServerSelector.global(TOPOLOGY);

        var selected = selector.select(cluster(member("us1", "us", 1), member("eu1", "eu", 40), member("ap1", "ap", 2)));

        assertThat(hosts(selected)).containsExactly("eu1");
    }

    @Test
    void select_fallsBackByProximityOfLocalRegion_whenLocalHasNoMember() {
        var selector = RegionAwareServerSelector.global(TOPOLOGY);

        var selected = selector.select(cluster(member("ap1", "ap", 1), member("us1", "us", 80)));

        assertThat(hosts(selected)).containsExactly("us1");
    }

    @Test
    void select_appliesLatencyWindowWithinPreferredRegion_boundsIncluded() {
        var selector = RegionAwareServerSelector.builder(TOPOLOGY).localThreshold(Duration.ofMillis(15)).build();

        var selected = selector.select(cluster(
                member("eu1", "eu", 10), member("eu2", "eu", 25), member("eu3", "eu", 26), member("us1", "us", 1)));

        assertThat(hosts(selected)).containsExactly("eu1", "eu2");
    }

    @Test
    void select_withZeroThreshold_keepsOnlyTheFastestLocalMember() {
        var selector = RegionAwareServerSelector.builder(TOPOLOGY).localThreshold(Duration.ZERO).build();

        var selected = selector.select(cluster(member("eu1", "eu", 12), member("eu2", "eu", 5)));

        assertThat(hosts(selected)).containsExactly("eu2");
    }

    @Test
    void select_ignoresMembersThatAreNotOk() {
        var selector = RegionAwareServerSelector.global(TOPOLOGY);

        var selected = selector.select(cluster(connecting("eu1"), member("us1", "us", 30)));

        assertThat(hosts(selected)).containsExactly("us1");
    }

    @Test
    void select_global_acceptsUntaggedMembers_whenNoDeclaredRegionHasOne() {
        var selector = RegionAwareServerSelector.global(TOPOLOGY);

        var selected = selector.select(cluster(member("x1", null, 5), member("x2", "mars", 7)));

        assertThat(hosts(selected)).containsExactly("x1", "x2");
    }

    @Test
    void select_regulated_neverSelectsMemberOutsideAllowedRegions() {
        // ap data: only ap is allowed; the local eu member and the fast us member are both refused
        var selector = RegionAwareServerSelector.regulated(TOPOLOGY, AP);

        var selected = selector.select(cluster(member("eu1", "eu", 1), member("us1", "us", 1), member("ap1", "ap", 90)));

        assertThat(hosts(selected)).containsExactly("ap1");
    }

    @Test
    void select_regulated_usesAllowedFallbackRegion_whenHomeHasNoMember() {
        var selector = RegionAwareServerSelector.regulated(TOPOLOGY, EU);

        var selected = selector.select(cluster(member("ap1", "ap", 1), member("us1", "us", 70)));

        assertThat(hosts(selected)).containsExactly("us1");
    }

    @Test
    void select_regulated_failsClosed_whenNoAllowedMemberIsAvailable() {
        var selector = RegionAwareServerSelector.regulated(TOPOLOGY, AP);

        assertThatThrownBy(() -> selector.select(cluster(member("eu1", "eu", 1), member("us1", "us", 2))))
                .isInstanceOf(RegionUnavailableException.class)
                .hasMessageContaining("REGULATED data homed in ap")
                .hasMessageContaining("eu1:27017 (region eu)")
                .satisfies(e -> assertThat(((RegionUnavailableException) e).tried()).containsExactly(AP));
    }

    @Test
    void select_regulated_refusesUntaggedMembers() {
        var selector = RegionAwareServerSelector.regulated(TOPOLOGY, EU);

        assertThatThrownBy(() -> selector.select(cluster(member("x1", null, 1))))
                .isInstanceOf(RegionUnavailableException.class)
                .hasMessageContaining("x1:27017 (no region)");
    }

    @Test
    void select_regulated_waitsInsteadOfFailing_whileAnAllowedMemberIsBeingDiscovered() {
        var selector = RegionAwareServerSelector.regulated(TOPOLOGY, AP);
        ClusterDescription full = cluster(member("eu1", "eu", 1), connecting("ap1"));
        selector.clusterDescriptionChanged(new ClusterDescriptionChangedEvent(new ClusterId(), full, cluster()));

        var selected = selector.select(cluster(member("eu1", "eu", 1)));

        assertThat(selected).isEmpty();
    }

    @Test
    void select_returnsNothing_whenNoCandidate() {
        assertThat(RegionAwareServerSelector.regulated(TOPOLOGY, AP).select(cluster())).isEmpty();
    }

    @Test
    void select_placesUntaggedMongosByAddress() {
        var selector = RegionAwareServerSelector.builder(TOPOLOGY).regulatedFor(AP)
                .member("mongos-ap:27017", "ap").member("mongos-eu", "eu").build();

        var selected = selector.select(cluster(member("mongos-eu", null, 1), member("mongos-ap", null, 80)));

        assertThat(hosts(selected)).containsExactly("mongos-ap");
    }

    @Test
    void select_honoursCustomTagName() {
        var selector = RegionAwareServerSelector.builder(TOPOLOGY).tagName("dc").build();
        ServerDescription dcEu = ServerDescription.builder().address(new ServerAddress("a", 27017))
                .state(ServerConnectionState.CONNECTED).ok(true).type(ServerType.REPLICA_SET_SECONDARY)
                .roundTripTime(50, TimeUnit.MILLISECONDS)
                .tagSet(new TagSet(List.of(new Tag("dc", "eu"), new Tag("region", "us")))).build();
        ServerDescription dcUs = ServerDescription.builder().address(new ServerAddress("b", 27017))
                .state(ServerConnectionState.CONNECTED).ok(true).type(ServerType.REPLICA_SET_SECONDARY)
                .roundTripTime(1, TimeUnit.MILLISECONDS)
                .tagSet(new TagSet(List.of(new Tag("dc", "us"), new Tag("region", "eu")))).build();

        assertThat(hosts(selector.select(cluster(dcUs, dcEu)))).containsExactly("a");
    }

    @Test
    void builder_rejectsUnknownRegionAndNegativeThreshold_namingTheField() {
        assertThatThrownBy(() -> RegionAwareServerSelector.builder(TOPOLOGY).regulatedFor(Region.of("mars")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("selector.home").hasMessageContaining("mars");
        assertThatThrownBy(() -> RegionAwareServerSelector.builder(TOPOLOGY).localThreshold(Duration.ofMillis(-1)))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("selector.localThreshold must be >= 0");
    }

    @Test
    void preference_isLocalThenProximity_restrictedToAllowed() {
        assertThat(RegionAwareServerSelector.global(TOPOLOGY).preference()).containsExactly(EU, US, AP);
        assertThat(RegionAwareServerSelector.regulated(TOPOLOGY, EU).preference()).containsExactly(EU, US);
        assertThat(RegionAwareServerSelector.regulated(TOPOLOGY, AP).preference()).containsExactly(AP);
    }
}
