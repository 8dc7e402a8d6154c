package io.regionrouter.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.regionrouter.core.Region;
import io.regionrouter.redis.Version;
import org.junit.jupiter.api.Test;

class BatchShipperTest {

    private static Envelope sentTo(String regions) {
        return new Envelope(new Version(1, "us/a"), 0, new byte[] {1}, 0, 0, regions);
    }

    @Test
    void mayHold_onlyTheRecordedTargetRegions_byExactId() {
        Region eu = Region.of("eu");
        assertThat(BatchShipper.mayHold(sentTo("us,eu,ap"), eu)).isTrue();
        assertThat(BatchShipper.mayHold(sentTo("us,ap"), eu)).isFalse();
        assertThat(BatchShipper.mayHold(sentTo("us,eu-west"), eu)).isFalse();
    }

    @Test
    void mayHold_aWriteQueuedBeforeRegionsWereRecorded() {
        assertThat(BatchShipper.mayHold(sentTo(""), Region.of("eu"))).isTrue();
    }
}
