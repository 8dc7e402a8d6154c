package io.regionrouter.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.helpers.BasicMDCAdapter;

@SuppressWarnings("try")
class MdcObservationHandlerTest {

    private final BasicMDCAdapter mdc = new BasicMDCAdapter();
    private final ObservationRegistry registry = ObservationRegistry.create();

    MdcObservationHandlerTest() {
        registry.observationConfig().observationHandler(new MdcObservationHandler(mdc));
    }

    private Observation libraryObservation(String name, String region, String store) {
        Observation o = Observation.createNotStarted(name, registry).lowCardinalityKeyValue("region.router.store", store)
                .highCardinalityKeyValue("region.router.user", "alice");
        if (region != null) {
            o.lowCardinalityKeyValue("region.router.region", region);
        }
        return o.start();
    }

    @Test
    void scopeOfALibraryObservation_putsRegionAndStore_andRestoresThePreviousValues() {
        mdc.put("region.router.region", "before");
        mdc.put("traceId", "t1");
        Observation statement = libraryObservation("region.router.jdbc.statement", "eu", "postgres");

        try (Observation.Scope scope = statement.openScope()) {
            assertThat(mdc.getCopyOfContextMap()).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "region.router.region", "eu", "region.router.store", "postgres", "traceId", "t1"));
        }

        assertThat(mdc.getCopyOfContextMap()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "region.router.region", "before", "traceId", "t1"));
        statement.stop();
    }

    @Test
    void nestedScopes_restoreInOrder_andARegionOfNoneIsNotARegion() {
        Observation checkout = libraryObservation("region.router.jdbc.checkout", "none", "postgres");
        Observation write = libraryObservation("region.router.redis.write.region", "us", "redis");
        try (Observation.Scope outer = checkout.openScope()) {
            assertThat(mdc.get("region.router.region")).isNull();
            assertThat(mdc.get("region.router.store")).isEqualTo("postgres");
            try (Observation.Scope inner = write.openScope()) {
                assertThat(mdc.get("region.router.region")).isEqualTo("us");
                assertThat(mdc.get("region.router.store")).isEqualTo("redis");
            }
            assertThat(mdc.get("region.router.region")).isNull();
            assertThat(mdc.get("region.router.store")).isEqualTo("postgres");
        }
        assertThat(mdc.getCopyOfContextMap()).isNullOrEmpty();
    }

    @Test
    void otherObservations_andHighCardinalityValues_neverReachTheMdc() {
        Observation request = Observation.createNotStarted("http.server.requests", registry)
                .lowCardinalityKeyValue("region.router.region", "eu").start();
        try (Observation.Scope scope = request.openScope()) {
            assertThat(mdc.getCopyOfContextMap()).isNullOrEmpty();
        }
        try (Observation.Scope scope = libraryObservation("region.router.route", "eu", "postgres").openScope()) {
            assertThat(mdc.getCopyOfContextMap()).doesNotContainValue("alice").containsOnlyKeys("region.router.region",
                    "region.router.store");
        }
    }

    @Test
    void anObservationNamedByItsConvention_isRecognised() {
        // handlers are picked before a convention names the observation: a regression once
        ObservationConvention<Observation.Context> convention = new ObservationConvention<>() {
            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }

            @Override
            public String getName() {
                return "region.router.jdbc.statement";
            }

            @Override
            public KeyValues getLowCardinalityKeyValues(Observation.Context context) {
                return KeyValues.of("region.router.region", "ap", "region.router.store", "postgres");
            }
        };
        Observation statement = Observation.createNotStarted(convention, Observation.Context::new, registry).start();
        try (Observation.Scope scope = statement.openScope()) {
            assertThat(mdc.get("region.router.region")).isEqualTo("ap");
        }
        assertThat(mdc.get("region.router.region")).isNull();
        statement.stop();
    }
}
