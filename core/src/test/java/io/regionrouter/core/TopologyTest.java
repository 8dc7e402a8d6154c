package io.regionrouter.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class TopologyTest {

    private static final Region US = Region.of("us");
    private static final Region EU = Region.of("eu");
    private static final Region AP = Region.of("ap");

    private static Topology.Builder threeRegions() {
        return Topology.builder().regions("us", "eu", "ap").local("eu").primary("us");
    }

    private static void assertInvalid(Topology.Builder builder, String field, String value, String message) {
        assertThatThrownBy(builder::build)
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage(message)
                .satisfies(e -> {
                    InvalidConfigurationException ice = (InvalidConfigurationException) e;
                    assertThat(ice.field()).isEqualTo(field);
                    assertThat(ice.value()).isEqualTo(value);
                });
    }

    @Test
    void build_keepsRegionsLocalAndPrimary() {
        Topology t = threeRegions().build();
        assertThat(t.regions()).containsExactly(US, EU, AP);
        assertThat(t.local()).isEqualTo(EU);
        assertThat(t.primary()).isEqualTo(US);
        assertThat(t.contains(AP)).isTrue();
        assertThat(t.contains(Region.of("sa"))).isFalse();
    }

    @Test
    void proximity_defaultsToDeclarationOrderWithoutSelf() {
        Topology t = threeRegions().build();
        assertThat(t.proximity(US)).containsExactly(EU, AP);
        assertThat(t.proximity(EU)).containsExactly(US, AP);
        assertThat(t.proximity(AP)).containsExactly(US, EU);
    }

    @Test
    void proximity_explicitOrderIsKept() {
        Topology t = threeRegions().proximity("ap", "eu", "us").build();
        assertThat(t.proximity(AP)).containsExactly(EU, US);
        assertThat(t.proximity(US)).containsExactly(EU, AP);
    }

    @Test
    void residency_defaultsToHomeAlone() {
        Topology t = threeRegions().build();
        assertThat(t.allowedRegions(EU)).containsExactly(EU);
        assertThat(t.isAllowed(EU, US)).isFalse();
        assertThat(t.isAllowed(EU, EU)).isTrue();
    }

    @Test
    void residency_allowedRegionsAreHomeFirstThenByHomeProximity() {
        Topology t = threeRegions().proximity("us", "ap", "eu").residency("us", "eu", "ap").build();
        assertThat(t.allowedRegions(US)).containsExactly(US, AP, EU);
    }

    @Test
    void residency_homeIsAlwaysAllowedEvenIfNotListed() {
        Topology t = threeRegions().residency("us", "eu").build();
        assertThat(t.allowedRegions(US)).containsExactly(US, EU);
        assertThat(t.isAllowed(US, AP)).isFalse();
    }

    @Test
    void build_withoutRegions_fails() {
        assertInvalid(Topology.builder().local("eu").primary("eu"), "topology.regions", "[]",
                "topology.regions must declare at least one region, but was []");
    }

    @Test
    void build_withoutLocal_fails() {
        assertInvalid(Topology.builder().regions("us", "eu").primary("us"), "topology.local", null,
                "topology.local must be set to one of the declared regions [us, eu], but was null");
    }

    @Test
    void build_withUnknownLocal_fails() {
        assertInvalid(Topology.builder().regions("us", "eu").local("ap").primary("us"), "topology.local", "ap",
                "topology.local must be one of the declared regions [us, eu], but was \"ap\"");
    }

    @Test
    void build_withUnknownPrimary_fails() {
        assertInvalid(Topology.builder().regions("us", "eu").local("eu").primary("ap"), "topology.primary", "ap",
                "topology.primary must be one of the declared regions [us, eu], but was \"ap\"");
    }

    @Test
    void build_withoutPrimary_fails() {
        assertInvalid(Topology.builder().regions("us", "eu").local("eu"), "topology.primary", null,
                "topology.primary must be set to one of the declared regions [us, eu], but was null");
    }

    @Test
    void region_declaredTwice_fails() {
        assertThatThrownBy(() -> Topology.builder().regions("us", "eu", "us"))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("topology.regions must not declare a region twice, but \"us\" was declared again");
    }

    @Test
    void region_withInvalidId_failsNamingIt() {
        assertThatThrownBy(() -> Topology.builder().region("EU"))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("region.id").hasMessageContaining("\"EU\"");
    }

    @Test
    void proximity_missingARegion_fails() {
        assertInvalid(threeRegions().proximity("eu", "us"), "topology.proximity[eu]", "[us]",
                "topology.proximity[eu] must list every other region exactly once, but was [us] (missing [ap])");
    }

    @Test
    void proximity_listingARegionTwice_fails() {
        assertInvalid(threeRegions().proximity("eu", "us", "us", "ap"), "topology.proximity[eu]", "[us, us, ap]",
                "topology.proximity[eu] must list every other region exactly once, but \"us\" appears twice in "
                        + "[us, us, ap]");
    }

    @Test
    void proximity_listingItself_fails() {
        assertInvalid(threeRegions().proximity("eu", "eu", "us", "ap"), "topology.proximity[eu]", "[eu, us, ap]",
                "topology.proximity[eu] must not list the region itself, but was [eu, us, ap]");
    }

    @Test
    void proximity_namingUnknownRegion_fails() {
        assertInvalid(threeRegions().proximity("eu", "us", "sa"), "topology.proximity[eu]", "sa",
                "topology.proximity[eu] must only name declared regions [us, eu, ap], but named \"sa\"");
    }

    @Test
    void proximity_fromUnknownRegion_fails() {
        assertInvalid(threeRegions().proximity("sa", "us", "eu", "ap"), "topology.proximity", "sa",
                "topology.proximity must be one of the declared regions [us, eu, ap], but was \"sa\"");
    }

    @Test
    void residency_namingUnknownRegion_fails() {
        assertInvalid(threeRegions().residency("eu", "us", "sa"), "topology.residency[eu]", "sa",
                "topology.residency[eu] must only name declared regions [us, eu, ap], but named \"sa\"");
    }

    @Test
    void residency_forUnknownHome_fails() {
        assertInvalid(threeRegions().residency("sa", "us"), "topology.residency", "sa",
                "topology.residency must be one of the declared regions [us, eu, ap], but was \"sa\"");
    }

    @Test
    void accessors_rejectUndeclaredRegions() {
        Topology t = threeRegions().build();
        assertThatThrownBy(() -> t.proximity(Region.of("sa")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("proximity.from must be one of the declared regions [us, eu, ap], but was \"sa\"");
        assertThatThrownBy(() -> t.allowedRegions(Region.of("sa")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("\"sa\"");
        assertThatThrownBy(() -> t.region("sa"))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("\"sa\"");
        assertThat(t.region("ap")).isEqualTo(AP);
    }

    @Test
    void views_areImmutable() {
        Topology t = threeRegions().residency("us", "eu").build();
        assertThatThrownBy(() -> t.regions().add(Region.of("sa"))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> t.proximity(US).clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> t.allowedRegions(US).add(AP)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void builderChangesAfterBuild_doNotAffectTopology() {
        Topology.Builder b = threeRegions();
        Topology t = b.build();
        b.region("sa").proximity("us", "ap", "eu", "sa");
        assertThat(t.regions()).containsExactly(US, EU, AP);
        assertThat(t.proximity(US)).containsExactly(EU, AP);
    }

    @Test
    void toBuilder_roundTripsToAnEqualTopology() {
        Topology t = threeRegions().proximity("ap", "eu", "us").residency("us", "eu", "ap").build();
        assertThat(t.toBuilder().build()).isEqualTo(t).hasSameHashCodeAs(t);
    }

    @Test
    void withLocal_changesOnlyTheLocalRegion() {
        Topology t = threeRegions().proximity("ap", "eu", "us").build();
        Topology ap = t.withLocal(AP);
        assertThat(ap.local()).isEqualTo(AP);
        assertThat(ap.primary()).isEqualTo(US);
        assertThat(ap.proximity(AP)).containsExactly(EU, US);
        assertThat(ap).isNotEqualTo(t);
        assertThatThrownBy(() -> t.withLocal(Region.of("sa"))).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("topology.local").hasMessageContaining("\"sa\"");
    }

    @Test
    void singleRegionTopology_isValid() {
        Topology t = Topology.builder().region(EU).local(EU).primary(EU).build();
        assertThat(t.proximity(EU)).isEmpty();
        assertThat(t.allowedRegions(EU)).containsExactly(EU);
        assertThat(List.copyOf(t.regions())).containsExactly(EU);
    }

    @Test
    void writableRegions_areTheHomeOnly_unlessDeclaredMultiWriter() {
        Topology t = Topology.builder().regions("us", "eu", "ap").local("eu").primary("us")
                .proximity("us", "ap", "eu")
                .residency("us", "eu", "ap").residency("ap", "us")
                .multiWriter("us", "eu", "ap")
                .build();
        assertThat(t.writableRegions(Region.of("us"))).containsExactly(Region.of("us"), Region.of("ap"), Region.of("eu"));
        assertThat(t.writableRegions(Region.of("ap"))).containsExactly(Region.of("ap"));
        assertThat(t.isAllowed(Region.of("ap"), Region.of("us"))).isTrue();
        assertThat(t.isWritable(Region.of("ap"), Region.of("us"))).isFalse();
        assertThat(t.toBuilder().build()).isEqualTo(t);
    }

    @Test
    void multiWriter_outsideTheAllowedSet_isRejectedNamingFieldAndValue() {
        assertThatThrownBy(() -> Topology.builder().regions("us", "eu").local("eu").primary("us")
                .multiWriter("eu", "us").build())
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("topology.multiWriter[eu]")
                .hasMessageContaining("\"us\"");
    }
}
