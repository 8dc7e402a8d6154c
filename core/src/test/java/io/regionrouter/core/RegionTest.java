package io.regionrouter.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RegionTest {

    @ParameterizedTest
    @ValueSource(strings = {"us", "eu", "ap", "eu-west-1", "a", "0", "abcdefghijklmnopqrstuvwxyz012345"})
    void of_acceptsLowercaseLettersDigitsAndDashUpTo32(String id) {
        assertThat(Region.of(id).id()).isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "EU", "eu_west", "eu west", " eu", "eu.1", "ü", "abcdefghijklmnopqrstuvwxyz0123456",
        "-", "--", "eu-", "-eu", "eu--west"})
    void of_rejectsInvalidIds_namingFieldAndValue(String id) {
        assertThatThrownBy(() -> Region.of(id))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("region.id must match [a-z0-9]+(-[a-z0-9]+)*, at most 32 characters, but was \"" + id + "\"")
                .satisfies(e -> {
                    InvalidConfigurationException ice = (InvalidConfigurationException) e;
                    assertThat(ice.field()).isEqualTo("region.id");
                    assertThat(ice.value()).isEqualTo(id);
                });
    }

    @Test
    void of_rejectsNull() {
        assertThatThrownBy(() -> Region.of(null))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("region.id must match [a-z0-9]+(-[a-z0-9]+)*, at most 32 characters, but was null");
    }

    @Test
    void regions_areComparedById_andPrintAsId() {
        assertThat(Region.of("eu")).isEqualTo(new Region("eu")).hasSameHashCodeAs(Region.of("eu"));
        assertThat(Region.of("eu")).isNotEqualTo(Region.of("us"));
        assertThat(Region.of("eu-west-1")).hasToString("eu-west-1");
    }

    @Test
    void invalidConfiguration_isARegionRouterException() {
        assertThatThrownBy(() -> Region.of("EU")).isInstanceOf(RegionRouterException.class);
    }
}
