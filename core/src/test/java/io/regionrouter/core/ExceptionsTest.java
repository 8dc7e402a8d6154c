package io.regionrouter.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class ExceptionsTest {

    private static final Region EU = Region.of("eu");
    private static final Region US = Region.of("us");

    @Test
    void allAreUncheckedUnderOneRoot() {
        assertThat(List.of(new UnknownUserException("u"), new DirectoryLookupException("u", new IOException()),
                new ResidencyViolationException("u", EU, US), new RegionUnavailableException(List.of(EU)),
                new InvalidConfigurationException("f", 1, "m")))
                .allSatisfy(e -> assertThat(e).isInstanceOf(RegionRouterException.class)
                        .isInstanceOf(RuntimeException.class));
    }

    @Test
    void directoryLookup_carriesUserAndCause() {
        IOException cause = new IOException("connection refused");
        DirectoryLookupException e = new DirectoryLookupException("alice", cause);
        assertThat(e).hasCause(cause).hasMessage(
                "region directory lookup failed for user alice: IOException: connection refused");
        assertThat(e.userId()).contains("alice");
        assertThat(e.userIds()).containsExactly("alice");
        assertThat(e.region()).isEmpty();
    }

    @Test
    void directoryLookup_bulk_abbreviatesLongUserLists() {
        List<String> users = IntStream.range(0, 20).mapToObj(i -> "u" + i).toList();
        DirectoryLookupException e = new DirectoryLookupException(users, new IOException());
        assertThat(e.getMessage()).contains("20 user(s)", "u9", "...").doesNotContain("u10");
        assertThat(e.userIds()).hasSize(20);
        assertThat(e.userId()).isEmpty();
    }

    @Test
    void residencyViolation_carriesHomeAndTarget() {
        ResidencyViolationException e = new ResidencyViolationException(null, EU, US);
        assertThat(e.home()).isEqualTo(EU);
        assertThat(e.target()).isEqualTo(US);
        assertThat(e.region()).contains(US);
        assertThat(e.userId()).isEmpty();
        assertThat(e).hasMessage("residency violation: region us is not allowed for data homed in eu");
    }

    @Test
    void regionUnavailable_namesTheRegionsTried() {
        IOException cause = new IOException("x");
        RegionUnavailableException e = new RegionUnavailableException("all down: [eu, us]", List.of(EU, US), cause);
        assertThat(e.tried()).containsExactly(EU, US);
        assertThat(e.region()).contains(EU);
        assertThat(e).hasCause(cause);
        assertThat(new RegionUnavailableException(List.of(EU, US))).hasMessage("no available region among [eu, us]");
        assertThat(new RegionUnavailableException(List.of()).region()).isEmpty();
    }

    @Test
    void invalidConfiguration_carriesFieldAndValue() {
        InvalidConfigurationException e = new InvalidConfigurationException("pool.size", 0, "pool.size must be >= 1, but was 0");
        assertThat(e.field()).isEqualTo("pool.size");
        assertThat(e.value()).isEqualTo("0");
        assertThat(new InvalidConfigurationException("x", null, "m").value()).isNull();
    }
}
